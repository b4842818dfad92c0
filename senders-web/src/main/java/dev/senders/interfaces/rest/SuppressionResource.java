package dev.senders.interfaces.rest;

import dev.senders.api.tenancy.Tenant;
import dev.senders.application.PageOf;
import dev.senders.application.error.SendersProblem;
import dev.senders.application.events.SuppressionManagement;
import dev.senders.domain.model.suppression.Suppression;
import dev.senders.domain.model.suppression.SuppressionType;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Objects;

/**
 * The suppression list of the caller's organization: its own entries (complaints, and recipients who used an
 * unsubscribe link: {@code type} {@code complaint} or {@code unsubscribed}), and the platform-wide ones
 * (permanent bounces) only for an address it asks about exactly ({@code q}) or has sent to; platform admins see
 * every entry. {@code GET /api/suppressions?page=1&size=20&q=part-of-address}, newest first, with
 * {@code total}; {@code DELETE /api/suppressions/{id}} removes an entry (204, audited); another organization's entry
 * is 404, and a platform-wide one may be removed by a platform administrator only (403 otherwise).
 */
@Path("suppressions")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class SuppressionResource {

    @Inject
    CurrentTenant tenant;

    @Inject
    SuppressionManagement suppressions;

    /**
     * An entry as shown. {@code scope} is {@code organization} or {@code platform} ({@code platformWide} true). An
     * organization sees the reason (the receiving server's diagnostic or the feedback type) and the campaign only of
     * entries its own mail caused; of a platform-wide entry another organization's mail caused, it sees the kind
     * only. A platform admin sees everything, with the organizations.
     */
    @JsonbNillable
    public record View(long id, String email, String scope, boolean platformWide, String type, String reason,
                       String campaignId, String createdAt, String organizationId, String sourceOrganizationId) {
        static View of(Suppression s, Tenant caller) {
            boolean ours = caller.platformAdmin()
                    || Objects.equals(s.sourceOrganizationId(), caller.organizationId())
                    || Objects.equals(s.organizationId(), caller.organizationId());
            return new View(s.id(), s.email(), s.platformWide() ? "platform" : "organization", s.platformWide(),
                    s.type().wire(), ours ? s.reason() : othersReason(s.type()),
                    ours ? s.campaignId() : null, s.createdAt() == null ? null : s.createdAt().toString(),
                    caller.platformAdmin() ? s.organizationId() : null,
                    caller.platformAdmin() ? s.sourceOrganizationId() : null);
        }
    }

    /** What an organization reads of a platform-wide entry that another organization's mail caused. */
    static String othersReason(SuppressionType type) {
        return type == SuppressionType.BOUNCE
                ? "Permanent bounce: this address does not accept mail (platform-wide)" : "Suppressed platform-wide";
    }

    public record Page(List<View> items, int page, int size, long total) {
    }

    @GET
    public Page list(@QueryParam("page") @DefaultValue("1") String page,
                     @QueryParam("size") @DefaultValue("20") String size,
                     @QueryParam("q") String q) {
        Tenant caller = tenant.require();
        PageOf<Suppression> result = suppressions.list(caller, RequestValues.intParam("page", page),
                RequestValues.intParam("size", size), q);
        return new Page(result.items().stream().map(s -> View.of(s, caller)).toList(), result.page(), result.size(),
                result.total());
    }

    @DELETE
    @Path("{id}")
    public Response unsuppress(@PathParam("id") String id) {
        Tenant caller = tenant.require();
        long suppressionId = id(id);
        if (suppressions.get(caller, suppressionId).platformWide()) {
            caller = tenant.requireAdmin();
        }
        suppressions.unsuppress(caller, suppressionId);
        return Response.noContent().build();
    }

    /** A malformed id names no entry: 404. */
    private static long id(String value) {
        try {
            long id = Long.parseLong(value);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // not found
        }
        throw SendersProblem.notFound("Suppression " + value.replaceAll("[^A-Za-z0-9_-]", "?"));
    }
}
