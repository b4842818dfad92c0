package dev.senders.infrastructure.unsubscribe;

import dev.senders.infrastructure.MapConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnsubscribeSettingsTest {

    private static final String SECRET = "a-secret-of-at-least-32-characters-0001";
    private static final String OLD = "an-older-secret-of-32-characters-00002";

    @Test
    void notConfiguredByDefault() {
        UnsubscribeSettings s = settings(Map.of());
        assertThat(s.baseUrl()).isEmpty();
        assertThat(s.secrets()).isEmpty();
        assertThat(s.lifetimeDays()).isEqualTo(90);
        s.check();
        assertThat(new UnsubscribeProducer().unsubscribeLinks(s).configured()).isFalse();
    }

    @Test
    void configuredValues() {
        UnsubscribeSettings s = settings(Map.of("senders.unsubscribe.base-url", "https://app.acme.io/mail/",
                "senders.unsubscribe.secrets", " " + SECRET + " , " + OLD + ",",
                "senders.unsubscribe.token-lifetime", "P365D"));
        s.check();
        assertThat(s.baseUrl()).contains(URI.create("https://app.acme.io/mail"));
        assertThat(s.secrets()).containsExactly(SECRET, OLD);
        assertThat(s.lifetimeDays()).isEqualTo(365);
        assertThat(s.toString()).doesNotContain(SECRET).doesNotContain(OLD).contains("secrets=2");
        UnsubscribeLinks links = new UnsubscribeProducer().unsubscribeLinks(s);
        assertThat(links.configured()).isTrue();
        assertThat(links.link("org-1", "bob@example.org", null))
                .startsWith("https://app.acme.io/mail/api/unsubscribe/");
        assertThat(links.toString()).doesNotContain(SECRET);
    }

    @Test
    void httpOnlyOnLoopback() {
        assertThat(settings(Map.of("senders.unsubscribe.base-url", "http://127.0.0.1:8080")).baseUrl())
                .contains(URI.create("http://127.0.0.1:8080"));
        assertThat(settings(Map.of("senders.unsubscribe.base-url", "http://localhost")).baseUrl()).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://app.acme.io", "app.acme.io", "ftp://app.acme.io", "https://app.acme.io/?x=1",
            "https://app.acme.io/#top", "https://user:pw@app.acme.io", "https://exa mple.com", "http://10.0.0.5"})
    void aWrongBaseUrlNamesItsKey(String url) {
        assertThatThrownBy(() -> settings(Map.of("senders.unsubscribe.base-url", url,
                "senders.unsubscribe.secrets", SECRET)).check())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("senders.unsubscribe.base-url")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void bothOrNeitherAndLongEnoughSecretsAndLifetimes() {
        assertThatThrownBy(() -> settings(Map.of("senders.unsubscribe.base-url", "https://app.acme.io")).check())
                .hasMessageContaining("senders.unsubscribe.secrets");
        assertThatThrownBy(() -> settings(Map.of("senders.unsubscribe.secrets", SECRET)).check())
                .hasMessageContaining("senders.unsubscribe.base-url").hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> settings(Map.of("senders.unsubscribe.base-url", "https://app.acme.io",
                "senders.unsubscribe.secrets", SECRET + ",too-short")).check())
                .hasMessageContaining("senders.unsubscribe.secrets").hasMessageNotContaining("too-short")
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> settings(Map.of("senders.unsubscribe.token-lifetime", "P29D")).check())
                .hasMessageContaining("senders.unsubscribe.token-lifetime").hasMessageContaining("P30D");
        assertThatThrownBy(() -> settings(Map.of("senders.unsubscribe.token-lifetime", "90 days")).check())
                .hasMessageContaining("senders.unsubscribe.token-lifetime");
        assertThat(settings(Map.of("senders.unsubscribe.token-lifetime", "PT721H")).lifetimeDays())
                .as("rounded up to whole days").isEqualTo(31);
    }

    static UnsubscribeSettings settings(Map<String, String> values) {
        UnsubscribeSettings settings = new UnsubscribeSettings();
        settings.config = new MapConfig(values);
        return settings;
    }
}
