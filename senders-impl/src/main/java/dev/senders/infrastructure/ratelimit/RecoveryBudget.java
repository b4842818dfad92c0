package dev.senders.infrastructure.ratelimit;

import java.time.Duration;

/**
 * How many slots given up for lateness a provider account may recover each second without ever putting more than
 * its limit R in any sliding second, and how far apart the recovered slots must be.
 *
 * <p>The argument. Regular slots are at least 1/r apart (r = R x headroom, the enforced rate), and a request goes on
 * the wire at most D after its slot (D: {@code senders.rate.max-lateness}, plus however unevenly requests then reach
 * the provider). The requests arriving in a window [a, a+1) belong to slots in [a-D, a+1), a half-open span of 1+D, so
 * there are at most ceil(r(1+D)) of them. Recovered slots are placed at least (1+D)/E apart, so at most E of them
 * fall in the same span. Both together stay within R when E = floor(R) - ceil(r(1+D)). Recovered slots need no other
 * condition (not even to lie between regular ones), and they are only placed against given-up slots (credits), so
 * the long-run rate stays r.
 *
 * <p>Lateness and recovery draw on the same headroom: every recovered slot a second costs 1/r seconds of tolerated
 * lateness. With D = 0 there would be R - ceil(r) (15 at R = 500, headroom 0.97), but a request 15 ms late alone
 * already takes ceil(485 x 1.015) - 485 = 8 of those at R = 500. So the budget keeps D = max-lateness +
 * {@code senders.rate.recovery-margin} (5 ms) of tolerance: at headroom 0.97 that leaves E = 0 at R = 14 and 50, 1 at
 * 100, 2 at 200, 5 at 500 and 10 at 1000. Seconds without a recovered slot keep the whole 1/h - 1
 * (30.9 ms at 0.97).
 *
 * @param perWindow     E: recovered slots in any span of 1 + tolerance seconds, and the most credits kept (0: none)
 * @param spacingMicros the least time between two recovered slots
 */
public record RecoveryBudget(int perWindow, long spacingMicros) {

    /** No room: nothing given up is recovered. */
    public static final RecoveryBudget NONE = new RecoveryBudget(0, 0);

    /** How long a given-up slot stays recoverable. */
    public static final Duration CREDIT_LIFE = Duration.ofSeconds(2);

    /**
     * @param limitPerSecond R, the provider's own limit (SES's MaxSendRate)
     * @param ratePerSecond  r, the rate the module enforces (R times the headroom)
     * @param tolerance      D, the lateness every second must still absorb
     */
    public static RecoveryBudget of(double limitPerSecond, double ratePerSecond, Duration tolerance) {
        double span = 1 + tolerance.toNanos() / 1e9;
        long regular = (long) Math.ceil(ratePerSecond * span);
        long room = (long) Math.floor(limitPerSecond) - regular;
        if (room <= 0) {
            return NONE;
        }
        int extras = (int) Math.min(room, Integer.MAX_VALUE);
        return new RecoveryBudget(extras, (long) Math.ceil(span * 1_000_000 / extras));
    }

    /** Whether anything can be recovered at all. */
    public boolean any() {
        return perWindow > 0;
    }
}
