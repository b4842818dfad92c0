package dev.senders.interfaces.rest;

import dev.senders.api.tenancy.Tenant;
import dev.senders.application.reputation.OrganizationReputation;
import dev.senders.application.reputation.ReputationSettings;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The caller's organization's reputation: {@code GET /api/senders/reputation} ({@link ReputationView}): its state,
 * what caused it, each provider's rates over the window and the latest permanent bounces and complaints behind them
 * (its own messages only). Reading changes nothing.
 */
@Path("senders/reputation")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ReputationResource {

    @Inject
    CurrentTenant tenant;

    @Inject
    OrganizationReputation reputation;

    @Inject
    ReputationSettings settings;

    @GET
    public JsonObject get() {
        Tenant caller = tenant.require();
        return view(caller.organizationId());
    }

    JsonObject view(String organizationId) {
        return ReputationView.of(reputation.of(organizationId), settings.window(),
                reputation.latestEvents(organizationId, 20));
    }
}
