package dev.senders.interfaces.rest;

import dev.senders.application.VerificationSweep;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Platform operators' endpoints (role senders-admin). */
@Path("admin")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    @Inject
    CurrentTenant tenant;

    @Inject
    VerificationSweep sweep;

    /** Runs the background verification now, unless a run is already in progress somewhere in the cluster. */
    @POST
    @Path("verification-runs")
    public VerificationSweep.Summary runVerification() {
        tenant.requireAdmin();
        return sweep.runNow();
    }
}
