package dev.senders.infrastructure.cluster;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SharedGenerationsTest {

    @Test
    void theGridIsLookedUpOnAThreadOfItsOwnSoThatNoCallOfTheCallerIsTiedToIt() {
        Thread caller = Thread.currentThread();
        Optional<String> ranOn = SharedGenerations.onThreadOfItsOwn(() -> Optional.of(
                Thread.currentThread() == caller ? "the caller's thread" : Thread.currentThread().getName()), 10_000);
        assertThat(ranOn).contains("senders-data-grid-lookup");
    }

    @Test
    void aLookupThatDoesNotAnswerInTimeLeavesTheModuleWithoutTheGrid() {
        CountDownLatch never = new CountDownLatch(1);
        Optional<String> found = SharedGenerations.onThreadOfItsOwn(() -> {
            try {
                never.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.of("late");
        }, 100);
        assertThat(found).isEmpty();
        never.countDown();
    }

    @Test
    void withoutADataGridInJndiThereIsNone() {
        assertThat(SharedGenerations.lookupOutsideAnyCall("payara/Hazelcast")).isEmpty();
    }
}
