package dev.senders.application.sending;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.ProviderName;
import dev.senders.api.sending.SendResult;
import dev.senders.infrastructure.persistence.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17: the record statement writes, per send, whether the message carried the one-click unsubscribe fields
 * ({@code senders_sends.list_unsubscribe}), for claimed (keyed) and unclaimed messages alike, on a real PostgreSQL.
 */
class SendClaimsUnsubscribeTest {

    private static TestDatabase db;
    private static SendClaims claims;

    @BeforeAll
    static void start() {
        db = TestDatabase.start();
        claims = TestClaims.on(db.simple());
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    private static SendClaims.Outgoing outgoing(String to, String key, boolean unsubscribe) {
        EmailMessage.Builder m = EmailMessage.builder().organizationId("org-u").to(to).from("news@acme.com")
                .subject("Hi").text("Hi").idempotencyKey(key);
        if (unsubscribe) {
            m.unsubscribe("list-1");
        }
        return new SendClaims.Outgoing(m.build(), "news@acme.com");
    }

    @Test
    void theRecordSaysWhichSendsCarriedTheLink() {
        List<SendClaims.Outgoing> batch = List.of(outgoing("a@example.org", "k-a", true),
                outgoing("b@example.org", "k-b", false), outgoing("c@example.org", null, true),
                outgoing("d@example.org", null, false));
        String token = SendClaims.newToken();
        claims.claim(ProviderName.RESEND, token, batch);
        claims.record(token, batch, batch.stream().map(o -> SendResult.sent(ProviderName.RESEND,
                "id-" + o.message().to(), null)).toList());

        assertThat(db.queryLong("select count(*) from senders_sends where status = 'sent'")).isEqualTo(4);
        assertThat(db.queryLong("select count(*) from senders_sends where list_unsubscribe")).isEqualTo(2);
        assertThat(db.queryLong("select count(*) from senders_sends where list_unsubscribe and recipient in"
                + " ('a@example.org', 'c@example.org')")).isEqualTo(2);
    }
}
