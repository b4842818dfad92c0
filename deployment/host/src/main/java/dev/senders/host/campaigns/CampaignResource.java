package dev.senders.host.campaigns;

import dev.senders.api.tenancy.Tenant;
import dev.senders.api.tenancy.TenantResolver;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The host's campaign API for its Analytics page, at {@code /host-api/campaigns}. The organization is always the
 * signed-in caller's (from the {@link TenantResolver}), never from the request. Bodies are JSON, which also keeps
 * a cross-site form from posting here.
 */
@Path("campaigns")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class CampaignResource {

    private static final Set<String> FIELDS = Set.of("name", "senderEmail", "senderName", "subject", "html",
            "recipients");

    @Inject
    TenantResolver tenants;

    @Inject
    CampaignService campaigns;

    @GET
    public Response list() {
        JsonArrayBuilder all = Json.createArrayBuilder();
        campaigns.list(organization(), 100).forEach(c -> all.add(json(c)));
        return ok(Json.createObjectBuilder().add("campaigns", all).build());
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        return ok(json(campaigns.find(organization(), id(id)).orElseThrow(CampaignException::notFound)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(String body, @Context UriInfo uri) {
        String org = organization();
        JsonObject o = object(body);
        for (String key : o.keySet()) {
            if (!FIELDS.contains(key)) {
                throw CampaignException.invalid("Unknown field: " + key);
            }
        }
        List<String> recipients = new ArrayList<>();
        JsonValue given = o.get("recipients");
        if (given instanceof JsonArray array) {
            for (JsonValue v : array) {
                if (!(v instanceof JsonString s)) {
                    throw CampaignException.invalid("recipients must be strings");
                }
                recipients.add(s.getString());
            }
        } else if (given != null && given != JsonValue.NULL) {
            throw CampaignException.invalid("recipients must be an array of addresses");
        }
        Campaign created = campaigns.create(org, new CampaignService.NewCampaign(string(o, "name"),
                string(o, "senderEmail"), string(o, "senderName"), string(o, "subject"), string(o, "html"),
                recipients));
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(created.id())).build())
                .type(MediaType.APPLICATION_JSON).entity(json(created).toString()).build();
    }

    @POST
    @Path("{id}/start")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(@PathParam("id") String id) {
        Campaign started = campaigns.start(organization(), id(id));
        return Response.accepted(json(started).toString()).type(MediaType.APPLICATION_JSON).build();
    }

    private String organization() {
        return tenants.currentTenant().map(Tenant::organizationId)
                .orElseThrow(() -> new CampaignException(403, "You belong to no organization"));
    }

    private static long id(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw CampaignException.notFound();
        }
    }

    private static JsonObject object(String body) {
        try (var reader = Json.createReader(new StringReader(body == null ? "" : body))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw CampaignException.invalid("The body must be a JSON object");
        }
    }

    private static String string(JsonObject o, String key) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            return null;
        }
        if (v instanceof JsonString s) {
            return s.getString();
        }
        throw CampaignException.invalid(key + " must be a string");
    }

    static JsonObject json(Campaign c) {
        JsonObjectBuilder counts = Json.createObjectBuilder();
        c.counts().forEach(counts::add);
        JsonObjectBuilder providers = Json.createObjectBuilder();
        c.providers().forEach(providers::add);
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("id", c.id())
                .add("name", c.name())
                .add("status", c.status())
                .add("senderEmail", c.senderEmail())
                .add("subject", c.subject())
                .add("total", c.total())
                .add("counts", counts)
                .add("providers", providers)
                .add("itemsWithWarning", c.warned());
        nullable(b, "senderName", c.senderName());
        nullable(b, "warning", c.warning());
        nullable(b, "createdAt", c.createdAt());
        nullable(b, "startedAt", c.startedAt());
        nullable(b, "completedAt", c.completedAt());
        return b.build();
    }

    private static void nullable(JsonObjectBuilder b, String key, Object value) {
        if (value == null) {
            b.addNull(key);
        } else {
            b.add(key, value instanceof Instant i ? i.toString() : value.toString());
        }
    }

    private static Response ok(JsonObject body) {
        return Response.ok(body.toString(), MediaType.APPLICATION_JSON).build();
    }

    /** JAX-RS's own refusals (415 for a body that is not JSON, 405, 406) as problem+json too, not an HTML page. */
    @Provider
    public static class WebErrors implements ExceptionMapper<jakarta.ws.rs.WebApplicationException> {
        @Override
        public Response toResponse(jakarta.ws.rs.WebApplicationException e) {
            int status = e.getResponse().getStatus();
            String title = jakarta.ws.rs.core.Response.Status.fromStatusCode(status) == null ? "Error"
                    : jakarta.ws.rs.core.Response.Status.fromStatusCode(status).getReasonPhrase();
            return Response.status(status).type("application/problem+json")
                    .entity(Json.createObjectBuilder().add("type", "about:blank").add("title", title)
                            .add("status", status).add("detail", title).build().toString())
                    .build();
        }
    }

    /** Refusals as problem+json, like the module's API. */
    @Provider
    public static class Errors implements ExceptionMapper<CampaignException> {
        @Override
        public Response toResponse(CampaignException e) {
            String title = Map.of(400, "Bad Request", 403, "Forbidden", 404, "Not Found", 409, "Conflict")
                    .getOrDefault(e.status(), "Error");
            return Response.status(e.status()).type("application/problem+json")
                    .entity(Json.createObjectBuilder().add("type", "about:blank").add("title", title)
                            .add("status", e.status()).add("detail", e.getMessage()).build().toString())
                    .build();
        }
    }
}
