package dev.senders.application.reputation;

/**
 * Where a rate becomes a warning and where it pauses the organization, as fractions (a rate at the threshold counts
 * as over it). The defaults sit under Amazon SES's review levels (5% bounces, 0.1% complaints).
 */
public record Thresholds(double bounceWarning, double bouncePause, double complaintWarning, double complaintPause) {

    public Thresholds {
        check("senders.reputation.bounce", bounceWarning, bouncePause);
        check("senders.reputation.complaint", complaintWarning, complaintPause);
    }

    private static void check(String key, double warning, double pause) {
        if (!(warning > 0 && warning <= 1 && pause > 0 && pause <= 1)) {
            throw new IllegalArgumentException(key + ".warning and .pause must be fractions above 0, at most 1");
        }
        if (warning > pause) {
            throw new IllegalArgumentException(key + ".warning must not be above " + key + ".pause");
        }
    }

    /** What a provider's rates mean, once the minimum volume is met. */
    public ReputationState levelOf(double bounceRate, double complaintRate) {
        if (bounceRate >= bouncePause || complaintRate >= complaintPause) {
            return ReputationState.PAUSED;
        }
        if (bounceRate >= bounceWarning || complaintRate >= complaintWarning) {
            return ReputationState.WARNING;
        }
        return ReputationState.OK;
    }

    /** The threshold of {@code kind} at {@code level} (WARNING or PAUSED). */
    double threshold(RateKind kind, ReputationState level) {
        return switch (kind) {
            case BOUNCE -> level == ReputationState.PAUSED ? bouncePause : bounceWarning;
            case COMPLAINT -> level == ReputationState.PAUSED ? complaintPause : complaintWarning;
        };
    }
}
