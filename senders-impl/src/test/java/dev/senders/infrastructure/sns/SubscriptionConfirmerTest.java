package dev.senders.infrastructure.sns;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubscriptionConfirmerTest {

    private static TestPki pki;
    private static LocalHttps server;
    private SubscriptionConfirmer confirmer;

    @BeforeAll
    static void start() {
        pki = TestPki.get();
        server = new LocalHttps(pki);
        server.serve("/", 200, "<ConfirmSubscriptionResponse/>".getBytes());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void confirmer() {
        SnsSettings s = new SnsSettings(Set.of(SignedMessage.TOPIC), Optional.empty(), Duration.ofHours(1),
                Duration.ofMinutes(5), Duration.ofSeconds(3), 8, Optional.of(new SnsSettings.TestTrust(
                server.hostAndPort(), pki.trustStore, TestPki.PASSWORD)));
        confirmer = new SubscriptionConfirmer(s, new SnsHttp(s));
        server.requests.clear();
    }

    private static String confirmQuery() {
        return "?Action=ConfirmSubscription&TopicArn=" + SignedMessage.TOPIC + "&Token=2336412f37fb";
    }

    private static SnsMessage confirmation(String subscribeUrl) {
        return SnsMessage.parse(SignedMessage.confirmation(subscribeUrl).body("c2ln"));
    }

    @Test
    void theSubscribeUrlOnTheSnsHostIsFetchedOnce() {
        confirmer.confirm(confirmation(server.url("/" + confirmQuery())));
        assertThat(server.requests).containsExactly("GET /" + confirmQuery());
    }

    @Test
    void anOffHostSubscribeUrlIsNeverFetched() {
        for (String url : new String[]{
                "https://localhost:" + server.port() + "/" + confirmQuery(),       // the same server, another name
                "http://" + server.hostAndPort() + "/" + confirmQuery(),            // not https
                "https://evil.example.com/" + confirmQuery(),
                "https://sns.us-east-1.amazonaws.com/" + confirmQuery(),           // another region
                server.url("/other" + confirmQuery()),                              // another path
                server.url("/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-east-2:123456789012:other&Token=t"),
                server.url("/?Action=Unsubscribe&TopicArn=" + SignedMessage.TOPIC + "&Token=t"),
                server.url("/?Action=ConfirmSubscription&TopicArn=" + SignedMessage.TOPIC),
                server.url("/" + confirmQuery() + "&Action=Other"),
                "https://user@" + server.hostAndPort() + "/" + confirmQuery()}) {
            assertThatThrownBy(() -> confirmer.confirm(confirmation(url))).as(url)
                    .isInstanceOfSatisfying(SnsRejected.class, e -> assertThat(e.status()).isEqualTo(403));
        }
        assertThat(server.requests).isEmpty();
    }

    @Test
    void snsRefusingTheConfirmationIs502() {
        server.serve("/", 404, new byte[0]);
        try {
            assertThatThrownBy(() -> confirmer.confirm(confirmation(server.url("/" + confirmQuery()))))
                    .isInstanceOfSatisfying(SnsRejected.class, e -> assertThat(e.status()).isEqualTo(502));
        } finally {
            server.serve("/", 200, "<ConfirmSubscriptionResponse/>".getBytes());
        }
    }

    @Test
    void theProductionRuleAcceptsOnlyTheRegionsSnsHost() {
        String real = "https://sns.us-east-2.amazonaws.com/" + confirmQuery();
        assertThatCode(() -> SubscriptionConfirmer.checkSubscribeUrl(confirmation(real), Optional.empty()))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> SubscriptionConfirmer.checkSubscribeUrl(confirmation(server.url("/" + confirmQuery())),
                Optional.empty())).isInstanceOf(SnsRejected.class);
    }
}
