package dev.senders.infrastructure.health;

import dev.senders.infrastructure.sending.ResendSettings;
import dev.senders.infrastructure.ses.SesGateway;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether SES and Resend answer. A provider outage degrades sending but must not take the instance out of service
 * (the page, the API and verification still work), so this check always reports UP and tells the truth in its
 * data: {@code ses} / {@code resend} = reachable or unreachable, and {@code degraded}. Probed at most every 30 s.
 */
@Readiness
@ApplicationScoped
public class ProviderReachability implements HealthCheck {

    private static final Duration FRESH = Duration.ofSeconds(30);

    @Inject
    SesGateway ses;

    @Inject
    ResendSettings resend;

    private volatile Probe last;

    record Probe(boolean ses, boolean resend, Instant at) {
    }

    @Override
    public HealthCheckResponse call() {
        Probe probe = last;
        if (probe == null || probe.at().plus(FRESH).isBefore(Instant.now())) {
            probe = new Probe(sesAnswers(), resendAnswers(), Instant.now());
            last = probe;
        }
        return HealthCheckResponse.named("senders-providers").up()
                .withData("ses", probe.ses() ? "reachable" : "unreachable")
                .withData("resend", probe.resend() ? "reachable" : "unreachable")
                .withData("degraded", !(probe.ses() && probe.resend()))
                .build();
    }

    private boolean sesAnswers() {
        try {
            ses.getSendQuota();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Any HTTP answer from Resend's API host means it is reachable (no key is sent). */
    private boolean resendAnswers() {
        try {
            URI base = resend.baseUrl();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
            http.send(HttpRequest.newBuilder(base).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }
}
