package dev.senders.interfaces.rest;

import dev.senders.application.sending.AccountStatus;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The sending account as the page shows it: the local sandbox banner, and whether the SES account is in the SES
 * sandbox (sending disabled or 200 a day), with its quota and sending rate.
 */
@Path("senders/account")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    @Inject
    CurrentTenant tenant;

    @Inject
    AccountStatus account;

    @Inject
    @ConfigProperty(name = "senders.sandbox.enabled", defaultValue = "false")
    boolean sandbox;

    @GET
    public JsonObject account() {
        tenant.require();
        AccountStatus.Snapshot s = account.current();
        return Json.createObjectBuilder()
                .add("localSandbox", sandbox)
                .add("ses", Json.createObjectBuilder()
                        .add("available", s.available())
                        .add("sandbox", s.sesSandbox())
                        .add("max24HourSend", s.max24HourSend())
                        .add("maxSendRate", s.maxSendRate())
                        .add("sentLast24Hours", s.sentLast24Hours())
                        .add("enforcedRatePerSecond", s.sesRateEnforced())
                        .add("checkedAt", s.checkedAt().toString()))
                .add("resend", Json.createObjectBuilder()
                        .add("enforcedRatePerSecond", s.resendRateEnforced()))
                .build();
    }
}
