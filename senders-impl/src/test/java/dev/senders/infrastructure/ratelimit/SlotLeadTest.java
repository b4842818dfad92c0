package dev.senders.infrastructure.ratelimit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SlotLeadTest {

    private static final long MS = 1_000_000L;
    private static final long T0 = -5_000 * MS; // System.nanoTime() may be negative

    @Test
    void coversTheUsualDelayAndItsSpreadButNotEveryOutlier() {
        SlotLead lead = new SlotLead();
        assertThat(lead.nanos(T0)).as("nothing observed").isZero();

        long t = T0;
        for (int i = 0; i < 200; i++) {
            lead.observe(t += MS, (i % 2 == 0 ? 4 : 6) * MS);
        }
        long steady = lead.nanos(t);
        assertThat(steady).as("delays of 4 and 6 ms").isBetween(6 * MS, 10 * MS);

        lead.observe(t += MS, 80 * MS); // one slow wake-up
        assertThat(lead.nanos(t)).as("moved, not all the way").isBetween(steady + MS, 80 * MS - 1);
        for (int i = 0; i < 50; i++) {
            lead.observe(t += MS, 5 * MS);
        }
        assertThat(lead.nanos(t)).as("back down").isLessThan(10 * MS);

        for (int i = 0; i < 50; i++) {
            lead.observe(t += MS, 30 * MS); // a loaded machine
        }
        assertThat(lead.nanos(t)).as("follows it up").isGreaterThanOrEqualTo(29 * MS);
    }

    @Test
    void forgetsAfterAQuietSpellAndStaysWithinItsCap() {
        SlotLead lead = new SlotLead();
        lead.observe(T0, 40 * MS);
        assertThat(lead.nanos(T0)).as("a first delay, with room for its spread").isGreaterThanOrEqualTo(40 * MS);
        assertThat(lead.nanos(T0 + SlotLead.FORGET_NANOS + 1)).as("quiet since").isZero();

        lead.observe(T0 + 3 * SlotLead.FORGET_NANOS, -7 * MS);
        assertThat(lead.nanos(T0 + 3 * SlotLead.FORGET_NANOS)).isZero();
        lead.observe(T0 + 5 * SlotLead.FORGET_NANOS, 10_000 * MS);
        assertThat(lead.nanos(T0 + 5 * SlotLead.FORGET_NANOS)).isEqualTo(SlotLead.MAX_NANOS);
    }
}
