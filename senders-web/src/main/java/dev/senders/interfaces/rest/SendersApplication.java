package dev.senders.interfaces.rest;

import jakarta.ws.rs.ApplicationPath;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import jakarta.ws.rs.core.Application;

import java.util.Set;

/**
 * The module's JAX-RS application at {@code /api}. It lists its classes, so that a host's own JAX-RS application
 * (at another path) does not pick them up twice, and ours does not serve the host's.
 */
@ApplicationPath("/api")
@OpenAPIDefinition(
        info = @Info(title = "Senders API", version = "1",
                description = "Sender addresses of the caller's organization (SES identities and DNS records),"
                        + " verification, the default sender, and platform administration. Every error is RFC 9457"
                        + " application/problem+json."),
        components = @Components(
                schemas = @Schema(name = "Problem", type = SchemaType.OBJECT,
                        description = "RFC 9457 problem details; validation errors name the field and the reason",
                        properties = {
                                @SchemaProperty(name = "type", type = SchemaType.STRING,
                                        example = "urn:senders:problem:validation"),
                                @SchemaProperty(name = "title", type = SchemaType.STRING, example = "Invalid request"),
                                @SchemaProperty(name = "status", type = SchemaType.INTEGER, example = "400"),
                                @SchemaProperty(name = "detail", type = SchemaType.STRING,
                                        example = "IP addresses can't be used as sender domains"),
                                @SchemaProperty(name = "instance", type = SchemaType.STRING, example = "/api/senders"),
                                @SchemaProperty(name = "field", type = SchemaType.STRING, example = "emailAddress"),
                                @SchemaProperty(name = "reason", type = SchemaType.STRING, example = "ip-literal")}),
                responses = {
                        @APIResponse(name = "BadRequest", responseCode = "400", description = "Invalid input",
                                content = @Content(mediaType = Problems.MEDIA_TYPE,
                                        schema = @Schema(ref = "Problem"),
                                        examples = @ExampleObject(name = "invalid-address", value = "{\"type\":"
                                                + "\"urn:senders:problem:validation\",\"title\":\"Invalid request\","
                                                + "\"status\":400,\"detail\":\"IP addresses can't be used as sender"
                                                + " domains\",\"field\":\"emailAddress\",\"reason\":\"ip-literal\"}"))),
                        @APIResponse(name = "Unauthorized", responseCode = "401", description = "Sign in first",
                                content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(ref = "Problem"))),
                        @APIResponse(name = "NotFound", responseCode = "404",
                                description = "No such record in the caller's organization",
                                content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(ref = "Problem"))),
                        @APIResponse(name = "Conflict", responseCode = "409",
                                description = "Already exists, too many pending, or in use",
                                content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(ref = "Problem"),
                                        examples = @ExampleObject(name = "exists", value = "{\"type\":"
                                                + "\"urn:senders:problem:sender-exists\",\"title\":\"Conflict\","
                                                + "\"status\":409,\"detail\":\"Sender already exists\","
                                                + "\"field\":\"emailAddress\",\"reason\":\"sender-exists\"}"))),
                        @APIResponse(name = "TooManyRequests", responseCode = "429",
                                description = "Inside the verify cooldown; see Retry-After",
                                content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(ref = "Problem"))),
                        @APIResponse(name = "ProviderError", responseCode = "502",
                                description = "Amazon SES or Resend refused or failed",
                                content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
                }))
public class SendersApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(
                SenderResource.class,
                AccountResource.class,
                AdminResource.class,
                ResendWebhookResource.class,
                ReputationResource.class,
                SuppressionResource.class,
                EmailResource.class,
                UnsubscribeResource.class,
                OpenApiResource.class,
                BodySizeLimit.class,
                ProblemMappers.SendersProblemMapper.class,
                ProblemMappers.WebApplicationExceptionMapper.class,
                ProblemMappers.JsonInputMapper.class,
                ProblemMappers.UnexpectedMapper.class);
    }
}
