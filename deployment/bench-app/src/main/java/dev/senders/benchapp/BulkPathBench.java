package dev.senders.benchapp;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.EmailProvider;
import dev.senders.api.sending.EmailProviderFactory;
import dev.senders.api.sending.ProviderName;
import dev.senders.api.sending.SendResult;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.services.ses.SesClient;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SES bulk overhead (issue 15), measured inside one Payara Micro JVM: the module's {@link EmailProvider#sendBatch}
 * in batches of {@code batch} (100) messages, as a host's campaign worker calls it (the module sends each message as
 * its own SES call, up to {@code senders.sending.max-in-flight} at once), against a bare {@code SesClient.sendEmail}
 * loop on the module's own SES client with that many threads. {@code callers} threads call {@code sendBatch} at once
 * (1: one campaign worker). One request is one leg; the bench alternates them in rounds, each going first in half.
 *
 * <p>Benchmark-only: the organization comes from the query, which a real endpoint must never allow; this WAR is built
 * only in the {@code bench} profile and never deployed outside the benchmark.
 */
@ApplicationScoped
@Path("bulk-path")
public class BulkPathBench {

    @Inject
    EmailProviderFactory providers;

    @Inject
    SesClient ses;

    @Inject
    FloorSends floor;

    /** Container-managed threads (the module's own calls run on such threads too), for both legs alike. */
    @Resource
    ManagedThreadFactory threads;

    /** The module's own concurrency for a batch's SES calls; the bare loop runs with as many threads. */
    @Inject
    @ConfigProperty(name = "senders.sending.max-in-flight", defaultValue = "128")
    int maxInFlight;

    /** How often a message RATE_LIMITED is sent again before the leg counts it as given up. */
    private static final int MAX_ATTEMPTS = 10;

    /**
     * One leg: {@code leg=module} sends {@code n} messages through {@code sendBatch} in batches of {@code batch} on
     * {@code callers} threads; {@code leg=bare} sends {@code n} with {@code SesClient.sendEmail} on
     * {@code senders.sending.max-in-flight} threads; {@code leg=floor} sends them in the module leg's batches with
     * only the floor's claim and record around the bare calls ({@link #runFloor}). The bench alternates the legs (and
     * measures each leg's CPU).
     */
    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject run(@QueryParam("leg") String leg, @QueryParam("org") String organizationId,
                          @QueryParam("from") String from, @QueryParam("n") int n, @QueryParam("batch") int batch,
                          @QueryParam("callers") int callers, @QueryParam("label") String label,
                          @QueryParam("maxSeconds") double maxSeconds) throws Exception {
        boolean module = "module".equals(leg);
        boolean floorLeg = "floor".equals(leg);
        if (!module && !floorLeg && !"bare".equals(leg)) {
            throw new jakarta.ws.rs.BadRequestException("leg must be module, bare or floor");
        }
        int batchSize = Math.max(1, batch);
        // the floor's callers, like the module's, hand their batches' calls to maxInFlight threads
        int threadCount = module || floorLeg ? Math.max(1, callers) : maxInFlight;
        String run = label + "-" + UUID.randomUUID().toString().substring(0, 8);
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger resent = new AtomicInteger();
        AtomicInteger gaveUp = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threadCount, threads);
        ((java.util.concurrent.ThreadPoolExecutor) pool).prestartAllCoreThreads();
        long t0 = System.nanoTime();
        // no new batch (or bare call) after this: a leg that has not finished by then reports what it sent
        long deadline = maxSeconds > 0 ? t0 + (long) (maxSeconds * 1e9) : Long.MAX_VALUE;
        try {
            if (module) {
                runModule(pool, threadCount, organizationId, from, n, batchSize, run, run, sent, resent, gaveUp, deadline);
            } else if (floorLeg) {
                runFloor(pool, threadCount, organizationId, from, n, batchSize, run, sent, deadline);
            } else {
                runBare(pool, organizationId, from, n, run, run, sent, deadline);
            }
        } finally {
            pool.shutdownNow();
        }
        long took = System.nanoTime() - t0;
        return Json.createObjectBuilder()
                .add("run", run)
                .add("leg", leg)
                .add("threads", threadCount)
                .add("maxInFlight", maxInFlight)
                .add("batch", batchSize)
                .add("sent", sent.get())
                .add("rateLimitedResent", resent.get())
                .add("gaveUp", gaveUp.get())
                .add("stoppedEarly", sent.get() + gaveUp.get() < n)
                .add("seconds", took / 1e9)
                .build();
    }

    /** {@code count} messages in batches of {@code batchSize}, the batches shared out to {@code callers} threads. */
    private void runModule(ExecutorService pool, int callers, String organizationId, String from, int count,
                           int batchSize, String legTag, String run, AtomicInteger sent, AtomicInteger resent,
                           AtomicInteger gaveUp, long deadline) throws Exception {
        inBatches(pool, callers, count, batchSize, deadline, (start, end) -> {
            List<EmailMessage> messages = new ArrayList<>();
            for (int i = start; i < end; i++) {
                messages.add(BenchMessage.message(organizationId, from, "m" + i + "@" + legTag + ".module.example", run,
                        legTag + "-m-" + i));
            }
            // as a host does with a retryable outcome, though at once: messages that the module reports
            // RATE_LIMITED (it gave up their slots, too late for each of them) go again, counted
            for (int attempt = 0; !messages.isEmpty(); attempt++) {
                EmailProvider provider = providers.providerFor(organizationId, from);
                List<SendResult> results = provider.sendBatch(messages);
                List<EmailMessage> again = new ArrayList<>();
                for (int k = 0; k < results.size(); k++) {
                    SendResult r = results.get(k);
                    if (r.status() == SendResult.Status.SENT && r.provider() == ProviderName.SES) {
                        sent.incrementAndGet();
                    } else if (r.status() == SendResult.Status.FAILED && r.retryable()
                            && r.failure() == SendResult.Failure.RATE_LIMITED) {
                        if (attempt < MAX_ATTEMPTS - 1) {
                            again.add(messages.get(k));
                        } else {
                            gaveUp.incrementAndGet();
                        }
                    } else {
                        throw new IllegalStateException("module send did not go out through SES: " + r);
                    }
                }
                resent.addAndGet(again.size());
                messages = again;
            }
        });
    }

    /** A batch of messages {@code start} to {@code end} - 1. */
    @FunctionalInterface
    private interface Batch {
        void send(int start, int end) throws Exception;
    }

    /**
     * {@code count} messages in batches of {@code batchSize}, the batches shared out to {@code callers} threads of
     * {@code pool}; none started after {@code deadline}.
     */
    private static void inBatches(ExecutorService pool, int callers, int count, int batchSize, long deadline,
                                  Batch batch) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            workers.add(pool.submit(() -> {
                int start;
                while (System.nanoTime() < deadline && (start = next.getAndAdd(batchSize)) < count) {
                    batch.send(start, Math.min(count, start + batchSize));
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
    }

    private void runBare(ExecutorService pool, String organizationId, String from, int count, String legTag,
                         String run, AtomicInteger sent, long deadline) throws Exception {
        // one message a "batch", on as many threads as the module's calls may use
        inBatches(pool, maxInFlight, count, 1, deadline, (i, end) -> {
            BenchMessage.sendBare(ses, organizationId, from, "b" + i + "@" + legTag + ".bare.example", run);
            sent.incrementAndGet();
        });
    }

    /**
     * The floor: batches of {@code batchSize} as the module's leg has them, each with the least database work the
     * module's promises need ({@link FloorSends}: one claim statement before the calls, one record statement after
     * them) and its bare calls on up to {@code maxInFlight} threads at once, nothing else.
     */
    private void runFloor(ExecutorService pool, int callers, String organizationId, String from, int count,
                          int batchSize, String run, AtomicInteger sent, long deadline) throws Exception {
        ExecutorService calls = Executors.newFixedThreadPool(maxInFlight, threads);
        ((java.util.concurrent.ThreadPoolExecutor) calls).prestartAllCoreThreads();
        try {
            inBatches(pool, callers, count, batchSize, deadline, (start, end) -> {
                List<String> keys = new ArrayList<>();
                for (int i = start; i < end; i++) {
                    keys.add(run + "-f-" + i);
                }
                floor.claim(organizationId, keys);
                List<Future<String>> ids = new ArrayList<>();
                for (int i = start; i < end; i++) {
                    String to = "f" + i + "@" + run + ".floor.example";
                    ids.add(calls.submit(() -> BenchMessage.sendBare(ses, organizationId, from, to, run)));
                }
                List<String> messageIds = new ArrayList<>();
                for (Future<String> id : ids) {
                    messageIds.add(id.get());
                }
                floor.record(organizationId, keys, messageIds);
                sent.addAndGet(keys.size());
            });
        } finally {
            calls.shutdownNow();
        }
    }
}
