package dev.senders.benchapp;

import dev.senders.infrastructure.ratelimit.RateSlot;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A global AWS SDK interceptor of the bench WAR only (listed in
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}): tags each SES request with a random number
 * in the {@code x-senders-request-tag} header, and keeps, for each request that went out with a rate slot and was
 * answered, its tag, its slot ({@link RateSlot#slotAt()}) and when the module's on-the-wire check let it go
 * ({@link RateSlot#wireAt()}), both on {@link System#nanoTime()}. The slot is known only once the request is built and
 * signed (the module reserves it then), too late for a header. The SES stub, a process on the same machine reading the
 * same monotonic clock, records each request's tag and receipt, so the bench can tell how long after its slot each
 * request reached the stub (figure 15.6 reports it beside each throttled request): the receipt less the wire time is
 * the request's way from the module's client to the stub's handler (the client's own sending, the loopback, the stub's
 * threads), and the wire time less the slot is the module's own lateness ({@link WireTimes} serves them to the bench).
 */
public class RequestTags implements ExecutionInterceptor {

    /** The most (tag, slot, wire) triples kept between two reads: more than a figure-15.6 run sends from one instance. */
    static final int MOST_KEPT = 50_000;

    private static final ExecutionAttribute<Long> TAG = new ExecutionAttribute<>("x-senders-request-tag");
    private static final ConcurrentLinkedQueue<long[]> WIRE = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger KEPT = new AtomicInteger();

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        long tag = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        attributes.putAttribute(TAG, tag);
        return context.httpRequest().toBuilder().putHeader("x-senders-request-tag", Long.toString(tag)).build();
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        long slot = RateSlot.slotAt();
        long wire = RateSlot.wireAt();
        Long tag = attributes.getAttribute(TAG);
        if (tag != null && slot != 0 && wire != 0 && KEPT.incrementAndGet() <= MOST_KEPT) {
            WIRE.add(new long[]{tag, slot, wire});
        }
    }

    /** The (tag, slot, wire) triples kept since the last call, which forgets them. */
    static List<long[]> drain() {
        List<long[]> drained = new ArrayList<>();
        for (long[] triple; (triple = WIRE.poll()) != null; ) {
            drained.add(triple);
        }
        KEPT.set(0);
        return drained;
    }
}
