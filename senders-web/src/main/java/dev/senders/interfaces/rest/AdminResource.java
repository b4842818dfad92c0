package dev.senders.interfaces.rest;

import dev.senders.application.VerificationSweep;
import dev.senders.application.audit.AuditLog;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import dev.senders.api.tenancy.Tenant;
import dev.senders.application.reputation.OrganizationReputation;
import dev.senders.application.reputation.ReputationGuard;
import dev.senders.application.reputation.ReputationSettings;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.List;
import java.util.Set;

/** Platform operators' endpoints (role senders-admin); any other caller gets 403. */
@Path("admin")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "400", ref = "BadRequest")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "404", ref = "NotFound")
@APIResponse(responseCode = "409", ref = "Conflict")
@APIResponse(responseCode = "429", ref = "TooManyRequests")
@APIResponse(responseCode = "502", ref = "ProviderError")
public class AdminResource {

    @Inject
    CurrentTenant tenant;

    @Inject
    VerificationSweep sweep;

    @Inject
    AuditLog audit;

    @Inject
    ReputationGuard guard;

    @Inject
    OrganizationReputation reputation;

    @Inject
    ReputationSettings reputationSettings;

    public record AuditPage(List<AuditLog.Entry> items, int page, int size, long total) {
    }

    /** Runs the background verification now, unless a run is already in progress somewhere in the cluster. */
    @POST
    @Path("verification-runs")
    public VerificationSweep.Summary runVerification() {
        tenant.requireAdmin();
        return sweep.runNow();
    }

    /**
     * Resumes an organization whose sending the reputation guard paused: {@code {"reason": "..."}} (required, audited
     * with it); 200 with the organization's reputation, 409 when its sending is not paused.
     */
    @POST
    @Path("organizations/{id}/resume")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject resume(@PathParam("id") String organizationId, String body) {
        Tenant admin = tenant.requireAdmin();
        String id = organizationId(organizationId);
        String reason = JsonBodies.requiredString(JsonBodies.object(body, Set.of("reason")), "reason");
        guard.resume(admin, id, reason);
        return ReputationView.of(reputation.of(id), reputationSettings.window(), reputation.latestEvents(id, 20));
    }

    /**
     * Evaluates an organization's reputation now (as a bounce or complaint does, and the periodic run) and answers it:
     * a warning or a pause takes effect at once when its rates call for one.
     */
    @POST
    @Path("organizations/{id}/evaluate")
    @Consumes(MediaType.APPLICATION_JSON) // or no body: never a cross-site form's text/plain or form post
    public JsonObject evaluate(@PathParam("id") String organizationId) {
        tenant.requireAdmin();
        String id = organizationId(organizationId);
        guard.evaluate(id);
        return ReputationView.of(reputation.of(id), reputationSettings.window(), reputation.latestEvents(id, 20));
    }

    /** An organization's reputation, as it sees it on its Senders page. */
    @GET
    @Path("organizations/{id}/reputation")
    public JsonObject reputation(@PathParam("id") String organizationId) {
        tenant.requireAdmin();
        String id = organizationId(organizationId);
        return ReputationView.of(reputation.of(id), reputationSettings.window(), reputation.latestEvents(id, 20));
    }

    private static String organizationId(String value) {
        if (value == null || value.isBlank() || value.length() > 255 || value.chars().anyMatch(Character::isISOControl)) {
            throw dev.senders.application.error.SendersProblem.invalid("organizationId", "invalid",
                    "The organization id must be 1 to 255 characters without control characters");
        }
        return value;
    }

    /** The audit trail, newest first, of every organization or of one. */
    @GET
    @Path("audit")
    public AuditPage audit(@QueryParam("organizationId") String organizationId,
                           @QueryParam("page") @DefaultValue("1") String page,
                           @QueryParam("size") @DefaultValue("50") String size) {
        tenant.requireAdmin();
        int p = RequestValues.intParam("page", page);
        int s = RequestValues.intParam("size", size);
        if (p < 1 || s < 1 || s > 200) {
            throw dev.senders.application.error.SendersProblem.invalid(p < 1 ? "page" : "size",
                    p < 1 ? "must be 1 or more" : "must be between 1 and 200", "page must be 1 or more and size 1 to 200");
        }
        String org = organizationId == null || organizationId.isBlank() ? null : organizationId;
        return new AuditPage(audit.list(org, (p - 1) * s, s), p, s, audit.count(org));
    }
}
