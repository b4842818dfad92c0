package dev.senders.interfaces.rest;

import dev.senders.application.events.ResendEventsWebhook;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.nio.charset.StandardCharsets;

/**
 * Resend's webhook deliveries: {@code POST /api/webhooks/resend-events}, unauthenticated (the web fragment leaves
 * {@code /api/webhooks/*} open) because the Svix signature authenticates it ({@code svix-id}, {@code svix-timestamp},
 * {@code svix-signature}; the Standard Webhooks names {@code webhook-*} too). The body is read as the UTF-8 bytes
 * Resend signed, whatever the content type; its size is bounded like the SNS webhook's
 * ({@code senders.api.max-webhook-body-bytes}, 413 before parsing). 200 {@code {"outcome": "accepted" | "duplicate"}};
 * refusals are problem+json (400 malformed, too old or of an unknown type, 403 not signed with a configured secret).
 */
@Path("webhooks/resend-events")
@RequestScoped
public class ResendWebhookResource {

    @Inject
    ResendEventsWebhook webhook;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(@HeaderParam("svix-id") String svixId,
                            @HeaderParam("svix-timestamp") String svixTimestamp,
                            @HeaderParam("svix-signature") String svixSignature,
                            @HeaderParam("webhook-id") String webhookId,
                            @HeaderParam("webhook-timestamp") String webhookTimestamp,
                            @HeaderParam("webhook-signature") String webhookSignature,
                            byte[] body) {
        ResendEventsWebhook.Outcome outcome = webhook.receive(
                svixId != null ? svixId : webhookId,
                svixTimestamp != null ? svixTimestamp : webhookTimestamp,
                svixSignature != null ? svixSignature : webhookSignature,
                body == null ? "" : new String(body, StandardCharsets.UTF_8));
        return Response.ok(Json.createObjectBuilder().add("outcome", outcome.wire()).build().toString(),
                MediaType.APPLICATION_JSON_TYPE).build();
    }
}
