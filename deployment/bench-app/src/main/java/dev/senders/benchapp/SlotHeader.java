package dev.senders.benchapp;

import dev.senders.infrastructure.ratelimit.RateSlot;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A global AWS SDK interceptor of the bench WAR only (listed in
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}): names the rate slot of each SES request in
 * the {@code x-senders-slot-nanos} header ({@link RateSlot#slotAt()}, {@link System#nanoTime()}), so that the SES stub,
 * a process on the same machine reading the same monotonic clock, can tell how long after its slot each request
 * reached it. Figure 15.6 reports that delay beside each throttled request.
 *
 * <p>It also keeps, for each request that went out with a slot and was answered, when the module's on-the-wire check
 * let it go ({@link RateSlot#wireAt()}, the same clock): the stub's receipt less that time is the request's way from the
 * module's client to the stub's handler (the client's own sending, the loopback, the stub's threads), and the wire
 * time less the slot is the module's own lateness ({@link WireTimes} serves them to the bench).
 */
public class SlotHeader implements ExecutionInterceptor {

    /** The most (slot, wire) pairs kept between two reads: more than a figure-15.6 run sends from one instance. */
    static final int MOST_KEPT = 50_000;

    private static final ConcurrentLinkedQueue<long[]> WIRE = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger KEPT = new AtomicInteger();

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        long slot = RateSlot.slotAt();
        return slot == 0 ? context.httpRequest()
                : context.httpRequest().toBuilder().putHeader("x-senders-slot-nanos", Long.toString(slot)).build();
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        long slot = RateSlot.slotAt();
        long wire = RateSlot.wireAt();
        if (slot != 0 && wire != 0 && KEPT.incrementAndGet() <= MOST_KEPT) {
            WIRE.add(new long[]{slot, wire});
        }
    }

    /** The (slot, wire) pairs kept since the last call, which forgets them. */
    static List<long[]> drain() {
        List<long[]> drained = new ArrayList<>();
        for (long[] pair; (pair = WIRE.poll()) != null; ) {
            drained.add(pair);
        }
        KEPT.set(0);
        return drained;
    }
}
