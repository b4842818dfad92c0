package dev.senders.host.it;

import dev.senders.sandbox.ResendStub;
import dev.senders.sandbox.SesStub;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.net.URL;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17's one-click unsubscribe as the end-to-end tests use it: messages that ask for a link, sent through the
 * test WAR's SPI probe ({@code /probe/send}); the links as the SES and Resend stubs received them; the one-click POST
 * a mailbox provider makes; what the host heard ({@code /probe/unsubscribes}).
 */
public final class Unsubscribes {

    /** The links' prefix: the configured base URL and the module's path. */
    public static final String LINK_PREFIX = TestEnvironment.UNSUBSCRIBE_BASE_URL + "/api/unsubscribe/";
    /** RFC 8058's body, as mailbox providers post it. */
    public static final String ONE_CLICK = "List-Unsubscribe=One-Click";

    private Unsubscribes() {
    }

    /** Sends one message through the probe (a host's code calling the SPI); its result. */
    public static JsonObject send(URL base, String organizationId, String from, String to, boolean unsubscribe,
                                  String listId) {
        JsonObjectBuilder message = Json.createObjectBuilder().add("to", to).add("unsubscribe", unsubscribe);
        if (listId != null) {
            message.add("listId", listId);
        }
        Api.Reply reply = Api.anonymous(base).post("probe/send", Json.createObjectBuilder()
                .add("organizationId", organizationId).add("from", from).add("batch", false)
                .add("messages", Json.createArrayBuilder().add(message)).build().toString());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().getJsonArray("results").getJsonObject(0);
    }

    /** The emails the Resend stub accepted for this recipient. */
    public static List<ResendStub.SentEmail> resendEmailsTo(String recipient) {
        return TestEnvironment.resend().sentEmails().stream().filter(e -> e.to().contains(recipient)).toList();
    }

    /** The messages the SES stub accepted for this recipient. */
    public static List<SesStub.SentMessage> sesMessagesTo(String recipient) {
        return TestEnvironment.ses().sentMessages().stream().filter(m -> m.to().contains(recipient)).toList();
    }

    /** The token of the link in a List-Unsubscribe value ({@code <https://.../api/unsubscribe/TOKEN>}). */
    public static String token(String listUnsubscribe) {
        assertThat(listUnsubscribe).startsWith("<" + LINK_PREFIX).endsWith(">");
        return listUnsubscribe.substring(LINK_PREFIX.length() + 1, listUnsubscribe.length() - 1);
    }

    /** The token of the link in the one email Resend accepted for this recipient. */
    public static String tokenSentThroughResend(String recipient) {
        List<ResendStub.SentEmail> emails = resendEmailsTo(recipient);
        assertThat(emails).as("emails to " + recipient).hasSize(1);
        return token(emails.get(0).headers().get("List-Unsubscribe"));
    }

    /** The top-level header fields of a raw MIME message: lower-case names, folded lines unfolded, every value. */
    public static Map<String, List<String>> headers(String raw) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        for (String line : (raw + "\r\n").split("\r?\n", -1)) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
                value.append(line);
                continue;
            }
            if (name != null) {
                headers.computeIfAbsent(name, n -> new java.util.ArrayList<>()).add(value.toString().strip());
                name = null;
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                value.setLength(0);
                value.append(line.substring(colon + 1));
            }
        }
        return headers;
    }

    /** The one-click POST a mailbox provider makes (form-urlencoded), asking for JSON. */
    public static Api.Reply oneClick(URL base, String token) {
        return Api.anonymous(base).post("api/unsubscribe/" + token, "application/x-www-form-urlencoded", ONE_CLICK);
    }

    /** A GET of the link as a browser or a mail scanner makes it. */
    public static Api.Reply open(URL base, String token, String accept) {
        Api anonymous = Api.anonymous(base);
        return anonymous.send(anonymous.request("api/unsubscribe/" + token).setHeader("Accept", accept).GET());
    }

    /** A POST with any content type and body. */
    public static Api.Reply post(URL base, String token, String contentType, String body, String accept) {
        Api anonymous = Api.anonymous(base);
        HttpRequest.Builder request = anonymous.request("api/unsubscribe/" + token).setHeader("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.setHeader("Content-Type", contentType);
        }
        return anonymous.send(request);
    }

    /** What the host heard: the RecipientUnsubscribed events of the organization. */
    public static JsonArray heard(URL base, String organizationId) {
        Api.Reply reply = Api.anonymous(base).get("probe/unsubscribes?organizationId=" + organizationId);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return (JsonArray) reply.parse();
    }

    /** The organization's suppressions of the address: "type|campaign_id" per row. */
    public static List<String> suppressions(String organizationId, String email) {
        return Campaigns.query("select type, campaign_id from senders_suppressions where organization_id = '"
                + organizationId + "' and email = '" + email + "'", rs -> rs.getString(1) + "|" + rs.getString(2));
    }
}
