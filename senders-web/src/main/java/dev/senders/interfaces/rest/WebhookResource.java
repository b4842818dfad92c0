package dev.senders.interfaces.rest;

import dev.senders.application.events.SesEventsWebhook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.nio.charset.StandardCharsets;

/**
 * Amazon SNS's deliveries of the SES events topic: {@code POST /api/webhooks/ses-events}, unauthenticated (the web
 * fragment leaves {@code /api/webhooks/*} open) because the message's SNS signature authenticates it. SNS posts the
 * JSON message as {@code text/plain; charset=UTF-8} with an {@code x-amz-sns-message-type} header; any content type
 * is accepted and the body is read as UTF-8, as SNS writes it. 200 {@code {"outcome": "accepted" | "duplicate" |
 * "confirmed"}}; refusals are problem+json (400 malformed or too old, 403 not proven from SNS or topic not allowed,
 * 502/503 when SNS itself could not be reached, so that SNS retries).
 */
@Path("webhooks/ses-events")
@ApplicationScoped
public class WebhookResource {

    @Inject
    SesEventsWebhook webhook;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(@HeaderParam("x-amz-sns-message-type") String messageType, byte[] body) {
        SesEventsWebhook.Outcome outcome = webhook.receive(messageType,
                body == null ? "" : new String(body, StandardCharsets.UTF_8));
        return Response.ok("{\"outcome\":\"" + outcome.wire() + "\"}", MediaType.APPLICATION_JSON_TYPE).build();
    }
}
