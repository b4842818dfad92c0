package dev.senders.infrastructure.sns;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Confirms a subscription of the webhook to an SNS topic, for a {@code SubscriptionConfirmation} already verified
 * ({@link SnsVerifier}: signature and allowed topic). Its SubscribeURL is fetched (GET, no redirects, short timeout)
 * only when it is https on the SNS host of the topic's region, with path {@code /} and the query of a
 * ConfirmSubscription of that very topic with a token. No other URL is ever fetched.
 */
@ApplicationScoped
public class SubscriptionConfirmer {

    private static final Logger LOG = Logger.getLogger(SubscriptionConfirmer.class.getName());
    private static final int MAX_ANSWER_BYTES = 64 * 1024;

    @Inject
    SnsSettings settings;

    @Inject
    SnsHttp http;

    SubscriptionConfirmer() {
    }

    /** For tests. */
    public SubscriptionConfirmer(SnsSettings settings, SnsHttp http) {
        this.settings = settings;
        this.http = http;
    }

    /**
     * @throws SnsRejected 403 for a SubscribeURL off the SNS host (not fetched), 502 when SNS did not confirm
     */
    public void confirm(SnsMessage message) {
        URI url = checkSubscribeUrl(message, settings.testHost());
        SnsHttp.Answer answer;
        try {
            answer = http.get(url, MAX_ANSWER_BYTES);
        } catch (IOException e) {
            throw new SnsRejected(502, "sns-confirmation-failed", "SNS could not be reached to confirm the"
                    + " subscription", e);
        }
        if (answer.status() != 200) {
            throw new SnsRejected(502, "sns-confirmation-failed", "SNS answered " + answer.status()
                    + " to the subscription confirmation");
        }
        LOG.info(() -> "Senders SNS webhook: subscription to " + message.topicArn() + " confirmed");
    }

    /** Throws unless the URL is SNS's ConfirmSubscription of the message's topic on the region's SNS host. */
    static URI checkSubscribeUrl(SnsMessage message, Optional<String> testHost) {
        URI uri = SnsSignatures.strictHttpsUri(message.subscribeUrl(), "SubscribeURL", "sns-subscribe-url");
        if (!SnsSignatures.onHost(uri, message.snsHost(), testHost)) {
            throw SnsRejected.forbidden("sns-subscribe-url", "SubscribeURL must be on " + message.snsHost()
                    + ", the SNS host of the topic's region");
        }
        String path = uri.getRawPath();
        Map<String, String> query = query(uri.getRawQuery());
        if (!(path == null || path.isEmpty() || path.equals("/"))
                || !"ConfirmSubscription".equals(query.get("Action"))
                || !message.topicArn().equals(query.get("TopicArn"))
                || query.getOrDefault("Token", "").isEmpty()) {
            throw SnsRejected.forbidden("sns-subscribe-url", "SubscribeURL is not a ConfirmSubscription of the topic");
        }
        return uri;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (params.putIfAbsent(name, value) != null) {
                // a parameter given twice is ambiguous: make the check fail
                params.put(name, "\u0000");
            }
        }
        return params;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "\u0000";
        }
    }
}
