package dev.senders.application.sending;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.ProviderName;
import dev.senders.infrastructure.persistence.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An idempotency key too long for its column is refused when the message is built, with a clear error, rather than
 * by the claim's statement after the batch has started; the longest key a message allows is claimed and stored whole
 * (on a real PostgreSQL, with the module's migrations).
 */
class IdempotencyKeyLengthTest {

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

    @Test
    void theLongestKeyAMessageAllowsIsTheColumnsLengthAndIsClaimedWhole() {
        for (String column : List.of("idempotency_key", "organization_id", "campaign_id")) {
            assertThat(db.queryLong("select character_maximum_length from information_schema.columns"
                    + " where table_name = 'senders_sends' and column_name = '" + column + "'"))
                    .as(column).isEqualTo(EmailMessage.MAX_KEY_LENGTH);
        }
        String key = "ü".repeat(EmailMessage.MAX_KEY_LENGTH - 1) + "1";
        EmailMessage message = message("org-long-key").idempotencyKey(key).build();

        List<SendClaims.Claim> claimed = claims.claim(ProviderName.SES, SendClaims.newToken(),
                List.of(new SendClaims.Outgoing(message, "news@acme.com")));

        assertThat(claimed).singleElement().extracting(SendClaims.Claim::kind).isEqualTo(SendClaims.Kind.FRESH);
        assertThat(db.queryLong("select count(*) from senders_sends where organization_id = 'org-long-key'"
                + " and idempotency_key = '" + key + "'")).isEqualTo(1);
    }

    @Test
    void aLongerKeyIsRefusedWhenTheMessageIsBuilt() {
        String key = "k".repeat(EmailMessage.MAX_KEY_LENGTH + 1);
        EmailMessage.Builder builder = message("org-longer-key").idempotencyKey(key);

        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idempotencyKey is 256 characters long; the module stores at most 255");
    }

    private static EmailMessage.Builder message(String organizationId) {
        return EmailMessage.builder().organizationId(organizationId).to("ana@example.org").from("news@acme.com")
                .subject("Hi").text("Hi");
    }
}
