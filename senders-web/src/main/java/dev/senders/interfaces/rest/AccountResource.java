package dev.senders.interfaces.rest;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The sending account as the page needs it: whether this is the local sandbox. */
@Path("senders/account")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    @Inject
    CurrentTenant tenant;

    @Inject
    @ConfigProperty(name = "senders.sandbox.enabled", defaultValue = "false")
    boolean sandbox;

    @GET
    public JsonObject account() {
        tenant.require();
        return Json.createObjectBuilder()
                .add("localSandbox", sandbox)
                .build();
    }
}
