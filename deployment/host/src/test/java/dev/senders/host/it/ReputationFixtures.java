package dev.senders.host.it;

import dev.senders.sandbox.ResendWebhooks;
import dev.senders.sandbox.TestCredentials;
import jakarta.json.JsonObject;

import java.net.URL;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What the reputation tests share: send records seeded with SQL for volume (as the send path writes them: status
 * sent, the provider's message id), bounces and complaints posted through the real webhooks (SNS signed by the test
 * PKI, Resend signed with the test secret), and the organization's reputation as the API and the database have it.
 */
public final class ReputationFixtures {

    private ReputationFixtures() {
    }

    /** Records {@code n} sends of the organization through {@code provider}, message ids {@code prefix1..prefixN}. */
    public static List<String> seedSends(String organizationId, String provider, String prefix, int n) {
        Campaigns.sql("insert into senders_sends (organization_id, campaign_id, recipient, from_address, provider,"
                + " message_id, status) select '" + organizationId + "', '77', 'r' || g || '-" + prefix
                + "@inbox-rep.net', 'news@rep.example', '" + provider + "', '" + prefix + "' || g, 'sent'"
                + " from generate_series(1, " + n + ") g");
        return IntStream.rangeClosed(1, n).mapToObj(i -> prefix + i).toList();
    }

    /** The recipient {@link #seedSends} recorded for the message. */
    public static String recipientOf(String messageId, String prefix) {
        return "r" + messageId.substring(prefix.length()) + "-" + prefix + "@inbox-rep.net";
    }

    /** Posts an SES event (its JSON) through the signed SNS webhook, as SNS does. */
    public static Api.Reply postSes(URL base, String sesEvent) {
        var message = SnsFixtures.notification(sesEvent);
        Api anonymous = Api.anonymous(base);
        return anonymous.send(anonymous.request("api/webhooks/ses-events")
                .header("Content-Type", "text/plain; charset=UTF-8")
                .header("x-amz-sns-message-type", message.type)
                .POST(HttpRequest.BodyPublishers.ofString(message.body(SnsFixtures.pki()), StandardCharsets.UTF_8)));
    }

    /** Posts a Resend event (its JSON) through the Resend webhook, signed with the test secret. */
    public static Api.Reply postResend(URL base, String resendEvent) {
        return postResend(base, ResendWebhooks.signed(TestCredentials.RESEND_WEBHOOK_SECRET, resendEvent));
    }

    public static Api.Reply postResend(URL base, ResendWebhooks.Delivery delivery) {
        Api anonymous = Api.anonymous(base);
        HttpRequest.Builder request = anonymous.request("api/webhooks/resend-events")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(delivery.body(), StandardCharsets.UTF_8));
        delivery.headers().forEach(request::header);
        return anonymous.send(request);
    }

    /** The organization's state as stored ({@code senders_reputation}); "none" without a row. */
    public static String state(String organizationId) {
        List<String> state = Campaigns.query("select state from senders_reputation where organization_id = '"
                + organizationId + "'", rs -> rs.getString(1));
        return state.isEmpty() ? "none" : state.get(0);
    }

    /** When the organization was last evaluated (null: never). */
    public static Timestamp evaluatedAt(String organizationId) {
        List<Timestamp> at = Campaigns.query("select evaluated_at from senders_reputation where organization_id = '"
                + organizationId + "'", rs -> rs.getTimestamp(1));
        return at.isEmpty() ? null : at.get(0);
    }

    /** A platform admin's evaluation of the organization now (synchronous). */
    public static JsonObject evaluateNow(Api admin, String organizationId) {
        Api.Reply reply = admin.post("api/admin/organizations/" + organizationId + "/evaluate", "");
        if (reply.status() != 200) {
            throw new AssertionError(reply.toString());
        }
        return reply.json();
    }

    /** One provider's figures in a reputation answer. */
    public static JsonObject provider(JsonObject reputation, String provider) {
        return reputation.getJsonArray("providers").getValuesAs(JsonObject.class).stream()
                .filter(p -> p.getString("provider").equals(provider)).findFirst().orElseThrow();
    }

    /** Leaves no organization paused or warned behind (the periodic evaluation would keep writing for them). */
    public static void forget(String organizationId) {
        Campaigns.sql("delete from senders_reputation_counts where organization_id = '" + organizationId + "'");
        Campaigns.sql("delete from senders_reputation where organization_id = '" + organizationId + "'");
    }
}
