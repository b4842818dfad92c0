package dev.senders.infrastructure.sending;

import dev.senders.infrastructure.MapConfig;
import dev.senders.sandbox.ResendStub;
import dev.senders.api.sending.EmailMessage;
import jakarta.ws.rs.client.Client;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResendSettingsTest {

    @Test
    void defaults() {
        ResendSettings s = settings(Map.of());
        assertThat(s.baseUrl()).isEqualTo(URI.create("https://api.resend.com"));
        assertThat(s.apiKey()).isEmpty();
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.maxRetries()).isEqualTo(3);
        assertThat(s.maxRetryAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.fromAddress()).isEqualTo("notifications@senders-platform.com");
        assertThat(s.fromName()).isEmpty();
        assertThat(s.toString()).contains("apiKey=missing");
    }

    @Test
    void configuredValuesAndTheEnvironmentKey() {
        ResendSettings s = settings(Map.of("senders.resend.base-url", "http://127.0.0.1:9999",
                "RESEND_API_KEY", "re_from_env", "senders.resend.timeout", "PT2S", "senders.resend.max-retries", "0",
                "senders.resend.max-retry-after", "PT1S", "senders.resend.from-address", "mail@platform.example",
                "senders.resend.from-name", "Platform"));
        assertThat(s.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:9999"));
        assertThat(s.apiKey()).contains("re_from_env");
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.maxRetries()).isZero();
        assertThat(s.maxRetryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.fromAddress()).isEqualTo("mail@platform.example");
        assertThat(s.fromName()).contains("Platform");
        assertThat(s.toString()).contains("apiKey=set").doesNotContain("re_from_env");

        assertThat(settings(Map.of("senders.resend.api-key", "re_config", "RESEND_API_KEY", "re_env")).apiKey())
                .contains("re_config");
    }

    @Test
    void invalidValuesNameTheirKey() {
        assertThatThrownBy(() -> settings(Map.of("senders.resend.timeout", "10s")).timeout())
                .hasMessageContaining("senders.resend.timeout");
        assertThatThrownBy(() -> settings(Map.of("senders.resend.max-retry-after", "PT0S")).maxRetryAfter())
                .hasMessageContaining("senders.resend.max-retry-after");
        assertThatThrownBy(() -> settings(Map.of("senders.resend.max-retries", "-1")).maxRetries())
                .hasMessageContaining("senders.resend.max-retries");
        assertThatThrownBy(() -> settings(Map.of("senders.resend.base-url", "api.resend.com")).baseUrl())
                .hasMessageContaining("senders.resend.base-url");
        assertThatThrownBy(() -> settings(Map.of("senders.resend.base-url", "ftp://api.resend.com")).baseUrl())
                .hasMessageContaining("senders.resend.base-url");
        assertThatThrownBy(() -> settings(Map.of("senders.resend.base-url", "https://exa mple.com")).baseUrl())
                .hasMessageContaining("senders.resend.base-url");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"http://api.resend.com", "HTTP://api.resend.com/",
            "http://10.0.0.5:8080", "http://192.168.1.1", "http://[2001:db8::1]", "http://localhost.evil.com",
            "http://127.0.0.1.nip.io", "http://0.0.0.0:9000", "http://user:pass@api.resend.com"})
    void plainHttpOffLoopbackIsRefused(String url) {
        ResendSettings s = settings(Map.of("senders.resend.base-url", url, "senders.resend.api-key", "re_secret_key"));
        assertThatThrownBy(s::baseUrl).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("senders.resend.base-url").hasMessageContaining("https")
                .hasMessageNotContaining("re_secret_key").hasMessageNotContaining("pass");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
            "https://api.resend.com, false", "https://10.0.0.5:8443, false", "http://127.0.0.1:9999, true",
            "http://127.1.2.3, true", "http://localhost:8080/, true", "http://LOCALHOST, true", "http://[::1]:9000, true",
            "https://127.0.0.1:9443, true", "http://[::ffff:127.0.0.1]:80, true"})
    void httpsAnywhereAndHttpOnLoopback(String url, boolean local) {
        ResendSettings s = settings(Map.of("senders.resend.base-url", url));
        assertThat(s.baseUrl()).isEqualTo(URI.create(url));
        assertThat(s.local()).isEqualTo(local);
    }

    @Test
    void theProducersWireAWorkingSender() {
        try (ResendStub stub = ResendStub.start().expectApiKey("re_wired")) {
            ResendSettings settings = settings(Map.of("senders.resend.base-url", stub.endpoint().toString(),
                    "senders.resend.api-key", "re_wired", "senders.resend.timeout", "PT2S"));
            SendingProducers producers = new SendingProducers();
            Client client = producers.httpClient(settings);
            try {
                ResendEmailSender sender = producers.resendEmailSender(client, settings,
                        dev.senders.infrastructure.unsubscribe.UnsubscribeLinks.none());
                assertThat(sender.toString()).doesNotContain("re_wired");
                assertThat(sender.sendOne(EmailMessage.builder().to("bob@example.org").from("news@acme.com")
                        .subject("Hi").text("Hi").organizationId("org-1").build(), null).accepted()).isTrue();
            } finally {
                producers.closeHttpClient(client);
            }
        }
    }

    static ResendSettings settings(Map<String, String> values) {
        ResendSettings settings = new ResendSettings();
        settings.config = new MapConfig(values);
        return settings;
    }
}
