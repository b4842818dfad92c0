package dev.senders.interfaces.rest;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The module's OpenAPI document at {@code /api/openapi}. Payara's MicroProfile OpenAPI does not scan JAX-RS classes
 * in WEB-INF/lib (GlassFish issue 22822), so the server's own /openapi shows only the host's resources; the module
 * publishes its maintained document (every endpoint, the problem+json schema and examples) here, public like any
 * API description.
 */
@Path("openapi")
@RequestScoped
public class OpenApiResource {

    private static final String DOCUMENT = "/META-INF/senders-openapi.yaml";

    @GET
    @Produces({"application/yaml", "text/plain"})
    public String document() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new NotFoundException();
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
