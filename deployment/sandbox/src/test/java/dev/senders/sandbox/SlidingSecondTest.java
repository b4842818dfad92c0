package dev.senders.sandbox;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SlidingSecondTest {

    private static final long MS = 1_000_000L;
    private static final long T0 = 5_000 * MS;

    private final SlidingSecond window = new SlidingSecond();

    @Test
    void noSecondHoldsMoreThanTheRate() {
        for (int i = 0; i < 3; i++) {
            assertThat(window.admit(T0 + i * 300 * MS, 1, 3)).isTrue();
        }
        assertThat(window.admit(T0 + 999 * MS, 1, 3)).as("4th within [T0, T0 + 1 s)").isFalse();
        assertThat(window.admit(T0 + 1000 * MS, 1, 3)).as("the first has left the second").isTrue();
    }

    @Test
    void aRequestHandledLateIsCountedAtItsReceiptAgainstTheSecondsAfterIt() {
        // received at T0, handled after three received later: it still belongs to [T0, T0 + 1 s)
        assertThat(window.admit(T0 + 400 * MS, 1, 3)).isTrue();
        assertThat(window.admit(T0 + 700 * MS, 1, 3)).isTrue();
        assertThat(window.admit(T0 + 990 * MS, 1, 3)).isTrue();
        assertThat(window.admit(T0, 1, 3)).as("[T0, T0 + 1 s) would hold 4").isFalse();
        assertThat(window.admit(T0 - 10 * MS, 1, 3)).as("[T0 - 10 ms, T0 + 990 ms) holds 2 others").isTrue();
        assertThat(window.admit(T0 - 5 * MS, 1, 3)).as("[T0 - 10 ms, T0 + 990 ms) would hold 4").isFalse();
        assertThat(window.admit(T0 - 600 * MS, 1, 3)).as("its seconds hold at most 1 other").isTrue();
    }

    @Test
    void spacingAtTheRateIsAdmittedInAnyOrderOfHandling() {
        long spacing = 1000 * MS / 50;
        for (int i = 0; i < 200; i += 2) {
            assertThat(window.admit(T0 + (i + 1) * spacing, 1, 50)).isTrue();
            assertThat(window.admit(T0 + i * spacing, 1, 50)).isTrue();
        }
        assertThat(window.admit(T0 + 200 * spacing - 1, 1, 50)).as("squeezed between the last two").isFalse();
    }

    @Test
    void aLoneRequestPassesWhateverItsRecipientsAndCountsThemAll() {
        assertThat(window.admit(T0, 5, 2)).isTrue();
        assertThat(window.admit(T0 + 999 * MS, 1, 2)).isFalse();
        assertThat(window.admit(T0 + 1000 * MS, 1, 2)).isTrue();
    }

    @Test
    void theSecondBeforeAMomentCountsItsReceiptsAndNamesTheFirst() {
        window.admit(T0, 1, 10);
        window.admit(T0 + 400 * MS, 2, 10);
        assertThat(window.inSecondBefore(T0 + 999 * MS)).isEqualTo(3);
        assertThat(window.firstInSecondBefore(T0 + 999 * MS)).isEqualTo(T0);
        assertThat(window.inSecondBefore(T0 + 1000 * MS)).as("(T0, T0 + 1 s]").isEqualTo(2);
        assertThat(window.firstInSecondBefore(T0 + 1000 * MS)).isEqualTo(T0 + 400 * MS);
        assertThat(window.inSecondBefore(T0 - 1)).isZero();
    }

    @Test
    void receiptsTwoSecondsBeforeTheLatestAreForgotten() {
        assertThat(window.admit(T0, 1, 1)).isTrue();
        assertThat(window.admit(T0 + 2500 * MS, 1, 1)).isTrue();
        assertThat(window.admit(T0 + 100 * MS, 1, 1)).as("its second's request forgotten").isTrue();
        window.clear();
        assertThat(window.admit(T0 + 2500 * MS, 1, 1)).isTrue();
    }
}
