package dev.senders.infrastructure.dns;

import dev.senders.sandbox.LocalDnsServer;

import dev.senders.domain.model.DnsRecord;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalDnsServerTest {

    static final DnsRecord VERIFICATION = new DnsRecord("TXT", "_amazonses.fresh.test", "_amazonses", "fresh.test",
            "tok-fresh", true, "Domain verification");

    @Test
    void restartWithServesNewRecordsOnTheSamePortAndChecksSeeThemAtOnce() {
        try (LocalDnsServer dns = LocalDnsServer.start(LocalDnsServer.Zone.of("fresh.test"))) {
            int port = dns.port();
            DnsRecordChecker checker = DnsRecordChecker.forServer(dns.host(), port, Duration.ofSeconds(2));
            assertThat(checker.check(VERIFICATION).status()).isEqualTo(RecordStatus.MISSING);

            dns.restartWith(LocalDnsServer.Zone.of("fresh.test").txt("_amazonses.fresh.test", "tok-fresh"));

            assertThat(dns.port()).isEqualTo(port);
            assertThat(checker.check(VERIFICATION).status()).as("no cache between checks\n%s", dns.log())
                    .isEqualTo(RecordStatus.FOUND);
            assertThat(dns.configFile()).content().contains("txt-record=_amazonses.fresh.test,\"tok-fresh\"");
            assertThat(dns.log()).contains("query[TXT] _amazonses.fresh.test");
        }
    }

    @Test
    void aMissingDnsmasqFailsSayingHowToInstallIt() {
        assertThatThrownBy(() -> LocalDnsServer.findDnsmasq(List.of(Path.of("/nonexistent/sbin/dnsmasq"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dnsmasq is not installed")
                .hasMessageContaining("apt-get install -y dnsmasq");
    }

    @Test
    void aConfigDnsmasqRejectsFailsWithItsMessage() {
        assertThatThrownBy(() -> LocalDnsServer.start(LocalDnsServer.Zone.of("test").line("no-such-option=1")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dnsmasq exited")
                .hasMessageContaining("no-such-option");
    }

    @Test
    void zoneLines() {
        LocalDnsServer.Zone zone = LocalDnsServer.Zone.of("acme.test")
                .txt("acme.test", "v=spf1 include:amazonses.com ~all")
                .txt("q.acme.test", "\"quoted\" \\ back", "part2")
                .cname("x._domainkey.acme.test.", "x.dkim.amazonses.com.")
                .cnameExact("y.acme.test", "Y.Example")
                .address("a.acme.test", "192.0.2.1", "2001:db8::1")
                .mx("acme.test", "mx.acme.test", 10)
                .forward("broken.test", 5300);
        assertThat(zone.lines()).containsExactly(
                "local=/acme.test/",
                "txt-record=acme.test,\"v=spf1 include:amazonses.com ~all\"",
                "txt-record=q.acme.test,\"\\\"quoted\\\" \\\\ back\",\"part2\"",
                "cname=x._domainkey.acme.test,x.dkim.amazonses.com",
                "dns-rr=y.acme.test,5,0159074578616d706c6500",
                "host-record=a.acme.test,192.0.2.1",
                "host-record=a.acme.test,2001:db8::1",
                "mx-host=acme.test,mx.acme.test,10",
                "server=/broken.test/127.0.0.1#5300");
        assertThatThrownBy(() -> zone.cname("a,b", "c")).isInstanceOf(IllegalArgumentException.class);
    }
}
