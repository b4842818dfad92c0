package dev.senders.infrastructure.ratelimit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateSlotTest {

    @AfterEach
    void release() {
        RateSlot.release();
    }

    @Test
    void aRequestWithoutASlotIsNotChecked() {
        // calls that are not rate-limited sends (verification, quota) hold no slot
        assertThatCode(RateSlot::claim).doesNotThrowAnyException();
    }

    @Test
    void aSlotInTimeIsGoodForOneRequest() {
        RateSlot.hold(System.nanoTime() + 1_000_000_000L);
        assertThatCode(RateSlot::claim).doesNotThrowAnyException();
        // a retry inside the same call would be a second request on the same slot
        assertThatThrownBy(RateSlot::claim).isInstanceOf(RateSlot.Missed.class);
    }

    @Test
    void aRequestTooLateForItsSlotDoesNotGoOut() {
        RateSlot.hold(System.nanoTime() - 1);
        assertThatThrownBy(RateSlot::claim).isInstanceOf(RateSlot.Missed.class)
                .hasMessageContaining("nothing was sent");
    }

    @Test
    void aReleasedSlotIsForgotten() {
        RateSlot.hold(System.nanoTime() - 1);
        RateSlot.release();
        assertThatCode(RateSlot::claim).doesNotThrowAnyException();
    }
}
