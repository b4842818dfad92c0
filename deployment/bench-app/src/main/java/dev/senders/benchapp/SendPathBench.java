package dev.senders.benchapp;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.EmailProvider;
import dev.senders.api.sending.EmailProviderFactory;
import dev.senders.api.sending.SendResult;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;
import software.amazon.awssdk.services.ses.SesClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Send-path overhead, measured inside one Payara Micro JVM: the module's SES provider as a host calls it
 * ({@link EmailProviderFactory#providerFor(String, String)} then {@link EmailProvider#send}: resolution, idempotency
 * record, suppression check, rate-limit check, send, record) against a bare {@code SesClient.sendEmail} loop on the
 * module's own SES client (same SDK, HTTP client, timeouts and endpoint).
 * With {@code threads} > 1 each leg runs on that many threads at once (issue 15's single sends at a provider's
 * latency, 16 threads); with {@code leg=module}, {@code leg=bare} or {@code leg=floor} only that loop runs (the floor:
 * the bare call with the least database work the module's promises need, {@link FloorSends}). The two loops alternate in
 * rounds, each path going first in half of them, so drift (JIT, the stub, the machine)
 * falls on both alike. The module's stage timers ({@code senders.send.stage}) are read before and after, for where
 * its time goes.
 *
 * <p>Benchmark-only: the organization comes from the query, which a real endpoint must never allow; this WAR is built
 * only in the {@code bench} profile and never deployed outside the benchmark.
 */
@ApplicationScoped
@Path("send-path")
public class SendPathBench {

    @Inject
    EmailProviderFactory providers;

    @Inject
    SesClient ses;

    @Inject
    MetricRegistry metrics;

    @Inject
    FloorSends floor;

    /** Container-managed threads for the concurrent variant ({@code threads} > 1), both legs alike. */
    @Resource
    ManagedThreadFactory threadFactory;

    /** The module's own send-path stages ({@code senders.send.stage}), timed by the module. */
    private static final List<String> STAGES = List.of("routing", "checks", "rate", "provider", "record");

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject run(@QueryParam("org") String organizationId, @QueryParam("from") String from,
                          @QueryParam("n") int n, @QueryParam("rounds") int rounds, @QueryParam("label") String label,
                          @QueryParam("threads") int threads, @QueryParam("leg") String only) throws Exception {
        int perRound = Math.max(1, n / Math.max(1, rounds));
        int concurrency = Math.max(1, threads);
        ExecutorService pool = concurrency == 1 ? null : Executors.newFixedThreadPool(concurrency, threadFactory);
        if (pool != null) {
            ((java.util.concurrent.ThreadPoolExecutor) pool).prestartAllCoreThreads();
        }
        String run = label + "-" + UUID.randomUUID().toString().substring(0, 8);
        // sends and nanoseconds by leg
        Map<Leg, long[]> legs = new java.util.EnumMap<>(Leg.class);
        for (Leg leg : Leg.values()) {
            legs.put(leg, new long[2]);
        }
        Map<String, long[]> stagesBefore = stages();
        int resentBefore = rateLimitedResent.get();
        try {
            for (int round = 0; round < Math.max(1, rounds); round++) {
                boolean moduleFirst = round % 2 == 0;
                // one leg only when asked (the caller alternates them and reads each one's CPU), else both, in turn
                List<Leg> order = only != null && !only.isBlank()
                        ? List.of(Leg.valueOf(only.toUpperCase(java.util.Locale.ROOT)))
                        : moduleFirst ? List.of(Leg.MODULE, Leg.BARE) : List.of(Leg.BARE, Leg.MODULE);
                for (Leg leg : order) {
                    long t0 = System.nanoTime();
                    int sent = pool == null ? sendRange(organizationId, from, run, round, leg, 0, perRound)
                            : concurrently(pool, concurrency, organizationId, from, run, round, leg, perRound);
                    legs.get(leg)[0] += sent;
                    legs.get(leg)[1] += System.nanoTime() - t0;
                }
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        // where the module's time went: each stage's mean over this run's module sends (the bare loop times nothing)
        Map<String, long[]> stagesAfter = stages();
        JsonObjectBuilder stages = Json.createObjectBuilder();
        for (String stage : STAGES) {
            long count = stagesAfter.get(stage)[0] - stagesBefore.get(stage)[0];
            long nanos = stagesAfter.get(stage)[1] - stagesBefore.get(stage)[1];
            stages.add(stage, count == 0 ? 0.0 : nanos / 1e6 / count);
        }
        return Json.createObjectBuilder()
                .add("run", run)
                .add("stagesMillis", stages)
                .add("rateLimitedResent", rateLimitedResent.get() - resentBefore)
                .add("moduleSent", legs.get(Leg.MODULE)[0])
                .add("bareSent", legs.get(Leg.BARE)[0])
                .add("floorSent", legs.get(Leg.FLOOR)[0])
                .add("moduleSeconds", legs.get(Leg.MODULE)[1] / 1e9)
                .add("bareSeconds", legs.get(Leg.BARE)[1] / 1e9)
                .add("floorSeconds", legs.get(Leg.FLOOR)[1] / 1e9)
                .build();
    }

    /** Sends messages {@code first} to {@code end} - 1 of a round's leg, one after the other; how many it sent. */
    private int sendRange(String organizationId, String from, String run, int round, Leg leg, int first, int end) {
        int sent = 0;
        for (int i = first; i < end; i++) {
            String to = "r" + round + "-" + i + "@" + leg.name().toLowerCase(java.util.Locale.ROOT) + "." + run
                    + ".example";
            sent += switch (leg) {
                case MODULE -> viaModule(organizationId, from, to, run + "-m-" + round + "-" + i, run);
                case BARE -> {
                    BenchMessage.sendBare(ses, organizationId, from, to, run);
                    yield 1;
                }
                case FLOOR -> {
                    // the least a send keeping the module's promises does: a durable claim before the call and a
                    // durable record of its message id after it (FloorSends)
                    String key = run + "-f-" + round + "-" + i;
                    floor.claim(organizationId, List.of(key));
                    String id = BenchMessage.sendBare(ses, organizationId, from, to, run);
                    floor.record(organizationId, List.of(key), List.of(id));
                    yield 1;
                }
            };
        }
        return sent;
    }

    /** The loops: the module's send, the bare call, and the bare call with the floor's claim and record. */
    private enum Leg { MODULE, BARE, FLOOR }

    /** A round's leg on {@code threads} threads, each sending the next message until {@code count} are sent. */
    private int concurrently(ExecutorService pool, int threads, String organizationId, String from, String run,
                             int round, Leg leg, int count) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Future<Integer>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                int sent = 0;
                int i;
                while ((i = next.getAndIncrement()) < count) {
                    sent += sendRange(organizationId, from, run, round, leg, i, i + 1);
                }
                return sent;
            }));
        }
        int sent = 0;
        for (Future<Integer> w : workers) {
            sent += w.get();
        }
        return sent;
    }

    private Map<String, long[]> stages() {
        Map<String, long[]> totals = new HashMap<>();
        for (String stage : STAGES) {
            Timer timer = metrics.getTimers().get(new MetricID("senders.send.stage", new Tag("provider", "ses"),
                    new Tag("stage", stage)));
            totals.put(stage, timer == null ? new long[2] : new long[]{timer.getCount(), timer.getElapsedTime().toNanos()});
        }
        return totals;
    }

    private int viaModule(String organizationId, String from, String to, String key, String run) {
        EmailMessage message = BenchMessage.message(organizationId, from, to, run, key);
        for (int attempt = 1; ; attempt++) {
            EmailProvider provider = providers.providerFor(organizationId, from);
            SendResult result = provider.send(message);
            if (result.status() == SendResult.Status.SENT
                    && result.provider() == dev.senders.api.sending.ProviderName.SES) {
                return 1;
            }
            // the module gave the send's rate slot up too often (a loaded machine): sent again, as a host would, and
            // counted; anything else ends the run
            if (result.status() != SendResult.Status.FAILED || !result.retryable()
                    || result.failure() != SendResult.Failure.RATE_LIMITED || attempt >= 10) {
                throw new IllegalStateException("module send did not go out through SES: " + result);
            }
            rateLimitedResent.incrementAndGet();
        }
    }

    /** Module sends answered RATE_LIMITED and sent again, since the start (reported per request as a difference). */
    private final AtomicInteger rateLimitedResent = new AtomicInteger();
}
