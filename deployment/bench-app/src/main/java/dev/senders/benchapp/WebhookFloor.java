package dev.senders.benchapp;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * Figure 4's floor ({@link WebhookFloorStore}) as a JAX-RS resource, {@code /bench-api/webhook-floor}: with
 * {@code -Dbench.floor.path=bench-api/webhook-floor} the floor leg posts here instead of to the servlet, which shows
 * what JAX-RS costs a notification on this server.
 *
 * <p>Benchmark-only: this WAR is built only in the {@code bench} profile.
 */
@ApplicationScoped
@Path("webhook-floor")
public class WebhookFloor {

    @Inject
    WebhookFloorStore floor;

    @POST
    @Consumes("*/*")
    public Response receive(@HeaderParam("x-amz-sns-message-type") String type, String body) {
        floor.store(type, body);
        return Response.ok().build();
    }
}
