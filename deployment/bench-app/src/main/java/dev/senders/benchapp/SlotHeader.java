package dev.senders.benchapp;

import dev.senders.infrastructure.ratelimit.RateSlot;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * A global AWS SDK interceptor of the bench WAR only (listed in
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}): names the rate slot of each SES request in
 * the {@code x-senders-slot-nanos} header ({@link RateSlot#slotAt()}, {@link System#nanoTime()}), so that the SES stub,
 * a process on the same machine reading the same monotonic clock, can tell how long after its slot each request
 * reached it. Figure 15.6 reports that delay beside each throttled request.
 */
public class SlotHeader implements ExecutionInterceptor {

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        long slot = RateSlot.slotAt();
        return slot == 0 ? context.httpRequest()
                : context.httpRequest().toBuilder().putHeader("x-senders-slot-nanos", Long.toString(slot)).build();
    }
}
