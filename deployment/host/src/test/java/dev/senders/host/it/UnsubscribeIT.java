package dev.senders.host.it;

import dev.senders.host.it.security.DbSnapshot;
import dev.senders.sandbox.ResendStub;
import dev.senders.sandbox.SesStub;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.senders.host.it.Campaigns.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17, part 3 on the deployed module: a message that asks for a one-click unsubscribe link carries
 * {@code List-Unsubscribe} and {@code List-Unsubscribe-Post} at the SES stub (raw MIME) and the Resend stub (its
 * headers); the one-click POST a mailbox provider makes suppresses the recipient for the organization, fires
 * {@code RecipientUnsubscribed} once, and the organization's next send to the recipient is SUPPRESSED while another
 * organization still sends; a GET of the link changes nothing. Messages go through the SPI as a host's code sends them
 * ({@code /probe/send}). Forged, altered and expired links: {@code security.UnsubscribeLinksIT}; the page in Chromium:
 * {@code ui.UnsubscribePageIT}.
 */
@ExtendWith(ArquillianExtension.class)
class UnsubscribeIT {

    @ArquillianResource
    URL base;

    private String tag;
    private TestUsers.User user;
    private Api api;

    @BeforeEach
    void freshOrganization() {
        tag = UUID.randomUUID().toString().substring(0, 8);
        user = TestUsers.inNewOrganization();
        api = Api.as(base, user);
    }

    private String recipient(String name) {
        return name + "-" + tag + "@inbox-unsub.net";
    }

    @Test
    void theHeadersReachTheSesStubInTheRawMessageAndTheSendRecordSaysSo() {
        String from = "news@unsub-ses-" + tag + ".com";
        Campaigns.verifiedDefault(api, from);
        String to = recipient("ses");
        String plain = recipient("ses-plain");

        JsonObject result = Unsubscribes.send(base, user.organizationId(), from, to, true, "spring-" + tag);
        JsonObject without = Unsubscribes.send(base, user.organizationId(), from, plain, false, null);

        assertThat(result.getString("status")).as(result.toString()).isEqualTo("SENT");
        assertThat(result.getString("provider")).isEqualTo("ses");
        List<SesStub.SentMessage> sent = Unsubscribes.sesMessagesTo(to);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).action()).as("custom headers need SendRawEmail").isEqualTo("SendRawEmail");
        Map<String, List<String>> headers = Unsubscribes.headers(sent.get(0).rawMessage());
        assertThat(headers.get("list-unsubscribe-post")).containsExactly("List-Unsubscribe=One-Click");
        assertThat(headers.get("list-unsubscribe")).singleElement().satisfies(link -> {
            assertThat(link).startsWith("<https://mail.platform-mail.com/api/unsubscribe/").endsWith(">");
            assertThat(Unsubscribes.token(link)).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}");
        });
        assertThat(sent.get(0).rawMessage().lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(998));

        assertThat(without.getString("status")).isEqualTo("SENT");
        assertThat(Unsubscribes.sesMessagesTo(plain)).singleElement()
                .satisfies(m -> assertThat(m.action()).as("no custom header: SendEmail").isEqualTo("SendEmail"));
        // the send record says which message carried the link (the readiness checklist's "in use")
        assertThat(query("select recipient, list_unsubscribe from senders_sends where organization_id = '"
                + user.organizationId() + "' and status = 'sent'",
                rs -> rs.getString(1) + "=" + rs.getBoolean(2))).containsExactlyInAnyOrder(plain + "=false",
                to + "=true");
    }

    @Test
    void theHeadersReachTheResendStubInTheEmailsHeaders() {
        String to = recipient("resend");
        JsonObject result = Unsubscribes.send(base, user.organizationId(), "news@unsub-fallback-" + tag + ".com", to,
                true, null);

        assertThat(result.getString("status")).as(result.toString()).isEqualTo("SENT");
        assertThat(result.getString("provider")).isEqualTo("resend");
        List<ResendStub.SentEmail> sent = Unsubscribes.resendEmailsTo(to);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).headers()).containsEntry("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
                .hasEntrySatisfying("List-Unsubscribe", link -> assertThat(link)
                        .startsWith("<https://mail.platform-mail.com/api/unsubscribe/"));
        assertThat(query("select list_unsubscribe from senders_sends where organization_id = '"
                + user.organizationId() + "' and recipient = '" + to + "'", rs -> rs.getBoolean(1)))
                .containsExactly(true);
    }

    @Test
    void aOneClickPostSuppressesTheNextSendIsSuppressedAndAnotherOrganizationStillSends() {
        String from = "news@unsub-post-" + tag + ".com";
        String to = recipient("post");
        String list = "weekly-" + tag;
        assertThat(Unsubscribes.send(base, user.organizationId(), from, to, true, list).getString("status"))
                .isEqualTo("SENT");
        String token = Unsubscribes.tokenSentThroughResend(to);
        DbSnapshot.awaitQuiet();

        Api.Reply first = Unsubscribes.oneClick(base, token);

        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.json().getString("outcome")).isEqualTo("unsubscribed");
        assertThat(first.header("Location")).as("never a redirect").isNull();
        assertThat(first.header("Content-Security-Policy")).contains("default-src 'self'");
        assertThat(first.header("Cache-Control")).isEqualTo("no-store");
        assertThat(Unsubscribes.suppressions(user.organizationId(), to)).containsExactly("unsubscribed|" + list);
        JsonArray heard = Unsubscribes.heard(base, user.organizationId());
        assertThat(heard).hasSize(1);
        assertThat(heard.getJsonObject(0).getString("recipient")).isEqualTo(to);
        assertThat(heard.getJsonObject(0).getString("listId")).isEqualTo(list);

        // idempotent: the same answer, nothing changes, nothing more is heard
        DbSnapshot before = DbSnapshot.take();
        Api.Reply second = Unsubscribes.oneClick(base, token);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(DbSnapshot.take().changedSince(before)).as("tables changed by the second POST").isEmpty();
        assertThat(Unsubscribes.heard(base, user.organizationId())).hasSize(1);

        // the organization's next send to the recipient is suppressed, and nothing reaches Resend
        JsonObject next = Unsubscribes.send(base, user.organizationId(), from, to, true, list);
        assertThat(next.getString("status")).as(next.toString()).isEqualTo("SUPPRESSED");
        assertThat(Unsubscribes.resendEmailsTo(to)).hasSize(1);
        // another organization still sends to the recipient
        TestUsers.User other = TestUsers.inNewOrganization();
        JsonObject others = Unsubscribes.send(base, other.organizationId(), "news@unsub-other-" + tag + ".com", to,
                true, null);
        assertThat(others.getString("status")).as(others.toString()).isEqualTo("SENT");
        assertThat(Unsubscribes.resendEmailsTo(to)).hasSize(2);

        // the organization sees the entry on its suppression list; the other organization does not
        Api.Reply mine = api.get("api/suppressions?q=" + to);
        assertThat(mine.json().getJsonArray("items")).singleElement().satisfies(item -> {
            JsonObject entry = item.asJsonObject();
            assertThat(entry.getString("type")).isEqualTo("unsubscribed");
            assertThat(entry.getString("scope")).isEqualTo("organization");
            assertThat(entry.getString("campaignId")).isEqualTo(list);
        });
        assertThat(Api.as(base, other).get("api/suppressions?q=" + to).json().getJsonArray("items")).isEmpty();
    }

    @Test
    void aMultipartOneClickPostAsTheRfcRecommendsAlsoUnsubscribes() {
        String to = recipient("multipart");
        Unsubscribes.send(base, user.organizationId(), "news@unsub-mp-" + tag + ".com", to, true, null);
        String token = Unsubscribes.tokenSentThroughResend(to);

        Api.Reply reply = Unsubscribes.post(base, token, "multipart/form-data; boundary=----b" + tag,
                "------b" + tag + "\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n"
                        + "------b" + tag + "--\r\n", "*/*");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().getString("outcome")).isEqualTo("unsubscribed");
        assertThat(Unsubscribes.suppressions(user.organizationId(), to)).containsExactly("unsubscribed|null");
        assertThat(Unsubscribes.heard(base, user.organizationId())).singleElement()
                .satisfies(e -> assertThat(e.asJsonObject().isNull("listId")).isTrue());
    }

    @Test
    void aGetOfTheLinkChangesNothing() {
        String to = recipient("get");
        Unsubscribes.send(base, user.organizationId(), "news@unsub-get-" + tag + ".com", to, true, null);
        String token = Unsubscribes.tokenSentThroughResend(to);
        DbSnapshot before = DbSnapshot.awaitQuiet();

        Api.Reply browser = Unsubscribes.open(base, token, "text/html,application/xhtml+xml,*/*;q=0.8");
        Api.Reply scanner = Unsubscribes.open(base, token, "*/*");
        Api.Reply head = Api.anonymous(base).send(Api.anonymous(base).request("api/unsubscribe/" + token)
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()));

        for (Api.Reply reply : List.of(browser, scanner)) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            assertThat(reply.contentType()).startsWith("text/html");
            assertThat(reply.body()).contains("<form method=\"post\">").contains(to)
                    .contains("name=\"List-Unsubscribe\" value=\"One-Click\"").doesNotContain("<script");
            assertThat(reply.header("Content-Security-Policy")).contains("script-src 'self'");
            assertThat(reply.header("X-Frame-Options")).isEqualTo("DENY");
        }
        assertThat(head.status()).isEqualTo(200);
        assertThat(DbSnapshot.take().changedSince(before)).as("tables changed by GET and HEAD").isEmpty();
        assertThat(Unsubscribes.suppressions(user.organizationId(), to)).isEmpty();
        assertThat(Unsubscribes.heard(base, user.organizationId())).isEmpty();

        // after the POST, the page says so and offers no button
        assertThat(Unsubscribes.oneClick(base, token).status()).isEqualTo(200);
        Api.Reply after = Unsubscribes.open(base, token, "text/html");
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.body()).contains("You are unsubscribed").doesNotContain("<form");
    }

    @Test
    void theStylesheetIsPublicAndCarriesTheSecurityHeaders() {
        Api.Reply css = Api.anonymous(base).get("api/unsubscribe/page.css");
        assertThat(css.status()).as(css.toString()).isEqualTo(200);
        assertThat(css.contentType()).startsWith("text/css");
        assertThat(css.body()).contains(".card");
        assertThat(css.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }
}
