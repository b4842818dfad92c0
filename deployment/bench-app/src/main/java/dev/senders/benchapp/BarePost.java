package dev.senders.benchapp;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * A bare JAX-RS POST on the same instance as the SNS webhook: reads the body as text and answers 200, so the webhook
 * ingestion benchmark can compare the webhook's work (parse, certificate, signature, topic, the MessageId record,
 * the event) with what any POST of that size costs on this server.
 */
@ApplicationScoped
@Path("echo")
public class BarePost {

    @POST
    @Consumes("*/*")
    public Response accept(String body) {
        return Response.ok().build();
    }
}
