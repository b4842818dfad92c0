package dev.senders.application.sending;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads a batch's provider calls run on, so that calls are in flight together when the rate allows: each call
 * is built on one of these, waits there for its rate-limit slot and goes on the wire from there at once (at most
 * {@code senders.sending.max-in-flight}, 128, per instance). Container-managed threads ({@link ManagedThreadFactory}),
 * started with the application.
 *
 * <p>A call holds its thread from its start to its answer: while it waits for its slot (up to
 * {@code senders.rate.reservation-window} ahead, 0.2 s) and while the provider answers. So the threads an instance needs
 * are about its share of the rate times that whole time: 500/s with a 100 ms answer needs about 150. Fewer threads also
 * make smaller blocks of slots, each a reservation of its own (a database transaction): bench figure 15.5 measured
 * 0.23-0.31 transactions a message with 32 threads, 0.12-0.14 with 64 and 0.09 with 128 (one instance, SES at
 * 100,000/s). A waiting thread is parked and costs no CPU.
 */
@ApplicationScoped
public class ProviderCalls {

    @Resource
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "senders.sending.max-in-flight", defaultValue = "128")
    int maxInFlight;

    private ExecutorService pool;

    /** The call threads not taken by a batch: a batch reserves rate slots only for calls that can start at once. */
    private Semaphore free;

    @PostConstruct
    void start() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(maxInFlight, maxInFlight, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads);
        // started at once and kept: a call waits for its slot on one of these, and creating a thread then would make it
        // late for the slot
        executor.prestartAllCoreThreads();
        pool = executor;
        free = new Semaphore(maxInFlight, true);
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }

    /**
     * Takes up to {@code wanted} call threads free now, without waiting: how many (0 when all are taken). A batch
     * starts calls only on threads free at once, so that a call is never built and ready for a slot it must then wait
     * for a thread to use.
     */
    public int tryTake(int wanted) {
        int taken = 0;
        while (taken < wanted && free.tryAcquire()) {
            taken++;
        }
        return taken;
    }

    /** Runs a call on a thread taken with {@link #tryTake}; the thread is given back when the call ends. */
    public <T> Future<T> submit(Callable<T> call) {
        return pool.submit(() -> {
            try {
                return call.call();
            } finally {
                free.release();
            }
        });
    }
}
