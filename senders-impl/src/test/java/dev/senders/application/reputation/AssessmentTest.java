package dev.senders.application.reputation;

import dev.senders.api.sending.ProviderName;
import dev.senders.application.reputation.ReputationCounts.Figures;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What an organization's figures mean against the default thresholds (2% / 4% bounces, 0.05% / 0.08% complaints). */
class AssessmentTest {

    private static final Thresholds DEFAULTS = new Thresholds(0.02, 0.04, 0.0005, 0.0008);

    @Test
    void aRateAtItsThresholdCountsAsReachingIt() {
        assertThat(level(1000, 19, 0)).isEqualTo(ReputationState.OK);
        assertThat(level(1000, 20, 0)).isEqualTo(ReputationState.WARNING);
        assertThat(level(1000, 39, 0)).isEqualTo(ReputationState.WARNING);
        assertThat(level(1000, 40, 0)).isEqualTo(ReputationState.PAUSED);
        assertThat(level(2000, 0, 1)).isEqualTo(ReputationState.WARNING);
        assertThat(level(10_000, 0, 7)).isEqualTo(ReputationState.WARNING);
        assertThat(level(10_000, 0, 8)).isEqualTo(ReputationState.PAUSED);
    }

    @Test
    void belowTheMinimumVolumeTheRatesDecideNothing() {
        Assessment a = Assessment.of(figures(499, 400, 100, 0, 0, 0), 500, DEFAULTS);
        assertThat(a.level()).isEqualTo(ReputationState.OK);
        assertThat(a.cause()).isNull();
        assertThat(a.providers().get(0).minimumMet()).isFalse();
        assertThat(a.providers().get(0).bounceRate()).isEqualTo(400 / 499.0);
    }

    @Test
    void theWorstProviderAndRateIsTheCause() {
        // SES warned for bounces, Resend paused for complaints: paused, because of Resend's complaints
        Assessment a = Assessment.of(figures(1000, 25, 0, 5000, 0, 5), 500, DEFAULTS);
        assertThat(a.level()).isEqualTo(ReputationState.PAUSED);
        assertThat(a.cause().provider()).isEqualTo(ProviderName.RESEND);
        assertThat(a.cause().rate()).isEqualTo(RateKind.COMPLAINT);
        assertThat(a.cause().value()).isEqualTo(0.001);
        assertThat(a.cause().threshold()).isEqualTo(0.0008);
        // both paused: the one furthest over its threshold
        Assessment both = Assessment.of(figures(1000, 41, 1, 1000, 80, 0), 500, DEFAULTS);
        assertThat(both.cause().provider()).isEqualTo(ProviderName.RESEND);
        assertThat(both.cause().rate()).isEqualTo(RateKind.BOUNCE);
    }

    @Test
    void thresholdsMustBeFractionsWithTheWarningBelowThePause() {
        assertThatThrownBy(() -> new Thresholds(0.05, 0.04, 0.0005, 0.0008))
                .hasMessageContaining("senders.reputation.bounce.warning");
        assertThatThrownBy(() -> new Thresholds(0.02, 0.04, 0.0005, 2)).hasMessageContaining("complaint");
        assertThatThrownBy(() -> new Thresholds(0, 0.04, 0.0005, 0.0008)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bucketsAreQuarterHoursOfTheEpoch() {
        assertThat(ReputationCounts.bucketOf(Instant.parse("2026-12-04T10:29:59.999Z")))
                .isEqualTo(Instant.parse("2026-12-04T10:15:00Z"));
        assertThat(ReputationCounts.bucketOf(Instant.parse("2026-12-04T10:30:00Z")))
                .isEqualTo(Instant.parse("2026-12-04T10:30:00Z"));
    }

    private static ReputationState level(long sends, long bounces, long complaints) {
        return Assessment.of(figures(sends, bounces, complaints, 0, 0, 0), 500, DEFAULTS).level();
    }

    private static Map<ProviderName, Figures> figures(long sesSends, long sesBounces, long sesComplaints,
                                                      long resendSends, long resendBounces, long resendComplaints) {
        Map<ProviderName, Figures> f = new EnumMap<>(ProviderName.class);
        f.put(ProviderName.SES, new Figures(sesSends, sesBounces, sesComplaints));
        f.put(ProviderName.RESEND, new Figures(resendSends, resendBounces, resendComplaints));
        return f;
    }
}
