package dev.senders.interfaces.rest;

import dev.senders.application.VerificationSweep;
import dev.senders.application.audit.AuditLog;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.List;

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

    public record AuditPage(List<AuditLog.Entry> items, int page, int size, long total) {
    }

    /** Runs the background verification now, unless a run is already in progress somewhere in the cluster. */
    @POST
    @Path("verification-runs")
    public VerificationSweep.Summary runVerification() {
        tenant.requireAdmin();
        return sweep.runNow();
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
