package dev.senders.application.sending;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.EmailProvider;
import dev.senders.api.sending.SendResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provider obtained for one organization refuses another organization's message before anything else runs: the
 * factory here has no routing and no providers at all (its injected fields are empty), so any attempt to route or
 * send the message would throw instead of returning the refusal.
 */
class ProviderFactoryTest {

    private static EmailMessage messageOf(String organizationId) {
        return EmailMessage.builder().organizationId(organizationId).from("news@acme-x.com").to("ann@inbox.net")
                .subject("Hello").text("Hi").idempotencyKey("k-1").build();
    }

    @Test
    void aProviderForOneOrganizationRefusesAnotherOrganizationsMessage() {
        EmailProvider provider = new ProviderFactory().providerFor("org-x", "news@acme-x.com");

        SendResult result = provider.send(messageOf("org-y"));

        assertThat(result.status()).isEqualTo(SendResult.Status.FAILED);
        assertThat(result.retryable()).isFalse();
        assertThat(result.provider()).as("no provider handled it").isNull();
        assertThat(result.messageId()).isNull();
        assertThat(result.error()).contains("org-x").contains("org-y");
    }

    @Test
    void theOrganizationIsComparedExactly() {
        EmailProvider provider = new ProviderFactory().providerFor("org-x", "news@acme-x.com");

        assertThat(provider.send(messageOf("ORG-X")).status()).isEqualTo(SendResult.Status.FAILED);
        assertThat(provider.send(messageOf("org-x ")).status()).isEqualTo(SendResult.Status.FAILED);
    }
}
