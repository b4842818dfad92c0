package dev.senders.infrastructure.dns;

import dev.senders.infrastructure.MapConfig;
import dev.senders.sandbox.LocalDnsServer;

import dev.senders.domain.model.DnsRecord;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DnsCheckerSettingsTest {

    @Test
    void servers() {
        assertThat(DnsCheckerSettings.parseServers("")).isEmpty();
        assertThat(DnsCheckerSettings.parseServers(" , ")).isEmpty();
        assertThat(DnsCheckerSettings.parseServers("127.0.0.1:5353, 10.0.0.2 ,[::1]:54,::1")).containsExactly(
                new InetSocketAddress("127.0.0.1", 5353), new InetSocketAddress("10.0.0.2", 53),
                new InetSocketAddress("::1", 54), new InetSocketAddress("::1", 53));
        assertThatThrownBy(() -> DnsCheckerSettings.parseServers("127.0.0.1:99999"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("senders.dns.servers");
        assertThatThrownBy(() -> DnsCheckerSettings.parseServers("[::1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timeout() {
        assertThat(DnsCheckerSettings.parseTimeout("PT3S")).isEqualTo(Duration.ofSeconds(3));
        assertThat(DnsCheckerSettings.parseTimeout("PT0.5S")).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> DnsCheckerSettings.parseTimeout("3s"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("senders.dns.timeout");
        assertThatThrownBy(() -> DnsCheckerSettings.parseTimeout("PT0S")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultsAreTheSystemResolversAndThreeSeconds() {
        DnsCheckerSettings settings = settings(Map.of());
        assertThat(settings.servers()).isEmpty();
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.dnsRecordChecker().timeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void theProducedCheckerAsksTheConfiguredServers() {
        try (LocalDnsServer dns = LocalDnsServer.start(LocalDnsServer.Zone.of("conf.test")
                .txt("_amazonses.conf.test", "tok-conf"));
             LocalDnsServer silent = LocalDnsServer.unresponsive()) {
            // whichever is asked first: the silent one costs its share of the timeout, then the working one answers
            DnsCheckerSettings settings = settings(Map.of(
                    "senders.dns.servers", silent.address() + ", " + dns.address(),
                    "senders.dns.timeout", "PT2S"));
            DnsRecordChecker checker = settings.dnsRecordChecker();
            assertThat(checker.timeout()).isEqualTo(Duration.ofSeconds(2));

            RecordCheck check = checker.check(new DnsRecord("TXT", "_amazonses.conf.test", "_amazonses", "conf.test",
                    "tok-conf", true, "Domain verification"));
            assertThat(check.status()).as("%s\n%s", check, dns.log()).isEqualTo(RecordStatus.FOUND);
        }
    }

    static DnsCheckerSettings settings(Map<String, String> values) {
        DnsCheckerSettings settings = new DnsCheckerSettings();
        settings.config = new MapConfig(values);
        return settings;
    }
}
