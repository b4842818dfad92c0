package dev.senders.host.it.probe;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.EmailProvider;
import dev.senders.api.sending.EmailProviderFactory;
import dev.senders.api.sending.SendResult;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A host of the Senders SPI for the end-to-end tests, deployed only in test WARs ({@code /probe/send}): it calls
 * {@link EmailProviderFactory} exactly as a host's code would, with messages the test describes, singly
 * ({@code send}), as one batch ({@code sendBatch}) or each with {@code send} on its own thread at once
 * ({@code "concurrent": true}), so that the tests can exercise what the SPI itself promises
 * (idempotency across instances, keys scoped by organization) without the reference host's own item claims.
 *
 * <p>Body: {@code {"organizationId", "from", "batch": true|false, "messages": [{"to", "key", "subject",
 * "unsubscribe": true|false, "listId"}]}};
 * answer: {@code {"results": [{"status", "failure", "provider", "messageId", "retryable", "error", "warning"}]}}.
 */
@Path("send")
@RequestScoped
public class SendingProbe {

    @Inject
    EmailProviderFactory providers;

    @Resource
    ManagedExecutorService threads;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject send(JsonObject request) {
        String organizationId = request.getString("organizationId");
        String from = request.getString("from");
        EmailProvider provider = providers.providerFor(organizationId, from);
        List<EmailMessage> messages = new ArrayList<>();
        for (JsonValue value : request.getJsonArray("messages")) {
            JsonObject m = value.asJsonObject();
            messages.add(EmailMessage.builder().organizationId(organizationId).from(from)
                    .to(m.getString("to")).subject(m.getString("subject", "Probe"))
                    .text("Hello from the probe").idempotencyKey(m.getString("key", null))
                    .unsubscribeLink(unsubscribe(m)).build());
        }
        List<SendResult> results = request.getBoolean("concurrent", false) ? concurrently(provider, messages)
                : request.getBoolean("batch", true) ? provider.sendBatch(messages)
                : messages.stream().map(provider::send).toList();
        JsonArrayBuilder out = Json.createArrayBuilder();
        for (SendResult r : results) {
            JsonObjectBuilder b = Json.createObjectBuilder().add("status", r.status().name())
                    .add("retryable", r.retryable());
            add(b, "failure", r.failure() == null ? null : r.failure().name());
            add(b, "provider", r.provider() == null ? null : r.provider().wire());
            add(b, "messageId", r.messageId());
            add(b, "error", r.error());
            add(b, "warning", r.warning());
            out.add(b);
        }
        return Json.createObjectBuilder().add("results", out).build();
    }

    /** Each message sent with {@code send} on its own thread, all started at once (a host sending on many threads). */
    private List<SendResult> concurrently(EmailProvider provider, List<EmailMessage> messages) {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<SendResult>> sends = new ArrayList<>();
        for (EmailMessage m : messages) {
            sends.add(threads.submit(() -> {
                start.await();
                return provider.send(m);
            }));
        }
        start.countDown();
        List<SendResult> results = new ArrayList<>();
        for (Future<SendResult> f : sends) {
            try {
                results.add(f.get(2, TimeUnit.MINUTES));
            } catch (Exception e) {
                throw new IllegalStateException("a concurrent send failed", e);
            }
        }
        return results;
    }

    /** {@code "unsubscribe": true} asks for a one-click link, {@code "listId"} names its list. */
    private static EmailMessage.Unsubscribe unsubscribe(JsonObject m) {
        return m.getBoolean("unsubscribe", false) ? new EmailMessage.Unsubscribe(m.getString("listId", null)) : null;
    }

    private static void add(JsonObjectBuilder b, String name, String value) {
        if (value == null) {
            b.addNull(name);
        } else {
            b.add(name, value);
        }
    }
}
