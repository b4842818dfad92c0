package dev.senders.application.reputation;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * The reputation guard's settings (MicroProfile Config). Rates are fractions (0.02 = 2%).
 * <table>
 *     <caption>Keys</caption>
 *     <tr><td>{@code senders.reputation.window}</td><td>{@code P7D}: the rolling window the rates are counted over (in
 *     15-minute buckets; at least {@code PT1H})</td></tr>
 *     <tr><td>{@code senders.reputation.min-sends}</td><td>500: below this many sends through a provider in the window,
 *     its rates decide nothing</td></tr>
 *     <tr><td>{@code senders.reputation.bounce.warning} / {@code .pause}</td><td>0.02 / 0.04: permanent bounces /
 *     sends</td></tr>
 *     <tr><td>{@code senders.reputation.complaint.warning} / {@code .pause}</td><td>0.0005 / 0.0008: complaints /
 *     sends</td></tr>
 *     <tr><td>{@code senders.reputation.enabled}</td><td>true: with false nothing is evaluated or paused (the rates
 *     are still shown)</td></tr>
 *     <tr><td>{@code senders.reputation.schedule.minute}</td><td>{@code 7/15}: when the periodic evaluation runs (EJB
 *     calendar syntax, every hour)</td></tr>
 * </table>
 */
@ApplicationScoped
public class ReputationSettings {

    @Inject
    @ConfigProperty(name = "senders.reputation.window", defaultValue = "P7D")
    Duration window;

    @Inject
    @ConfigProperty(name = "senders.reputation.min-sends", defaultValue = "500")
    long minSends;

    @Inject
    @ConfigProperty(name = "senders.reputation.bounce.warning", defaultValue = "0.02")
    double bounceWarning;

    @Inject
    @ConfigProperty(name = "senders.reputation.bounce.pause", defaultValue = "0.04")
    double bouncePause;

    @Inject
    @ConfigProperty(name = "senders.reputation.complaint.warning", defaultValue = "0.0005")
    double complaintWarning;

    @Inject
    @ConfigProperty(name = "senders.reputation.complaint.pause", defaultValue = "0.0008")
    double complaintPause;

    @Inject
    @ConfigProperty(name = "senders.reputation.enabled", defaultValue = "true")
    boolean enabled;

    @Inject
    @ConfigProperty(name = "senders.reputation.schedule.minute", defaultValue = "7/15")
    String scheduleMinute;

    @PostConstruct
    void check() {
        thresholds();
        if (window.compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException("senders.reputation.window must be PT1H or more");
        }
        if (minSends < 1) {
            throw new IllegalArgumentException("senders.reputation.min-sends must be 1 or more");
        }
    }

    public Duration window() {
        return window;
    }

    public long minSends() {
        return minSends;
    }

    public boolean enabled() {
        return enabled;
    }

    public String scheduleMinute() {
        return scheduleMinute;
    }

    public Thresholds thresholds() {
        return new Thresholds(bounceWarning, bouncePause, complaintWarning, complaintPause);
    }
}
