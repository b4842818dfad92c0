package dev.senders.interfaces.rest;

import dev.senders.api.sending.ProviderName;
import dev.senders.application.sending.AccountStatus;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The sending account as the caller may see it ({@link AccountStatus}):
 * <pre>
 * {"localSandbox": true,                       the sandbox banner is on (senders.sandbox.enabled)
 *  "ses":    {"local": true, "available": true, "sandbox": false, "checkedAt": "..."},
 *  "resend": {"local": true},                   local: a stand-in on this machine, not the real provider
 *  "limits": {"organizationShare": 0.8, "recipientsPerMessage": 1,
 *             "ses":    {"ratePerSecond": 13.58, "ratePerSecondWhileOthersSend": 10.864},
 *             "resend": {"ratePerSecond": 1.8, "ratePerSecondWhileOthersSend": 1.44}},
 *  "usage":  {"since": "...", "sent": {"ses": 120, "resend": 4}},      the caller's organization's own sends
 *  "accountWide": {"ses": {"max24HourSend": 50000, "maxSendRate": 14, "sentLast24Hours": 9000}}}  admins only
 * </pre>
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
        AccountStatus.View v = account.forCaller(tenant.require());
        AccountStatus.Limits limits = v.limits();
        JsonObjectBuilder sent = Json.createObjectBuilder();
        v.sent().forEach((provider, count) -> sent.add(provider.wire(), count));
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("localSandbox", sandbox)
                .add("ses", Json.createObjectBuilder()
                        .add("local", v.sesLocal())
                        .add("available", v.sesAvailable())
                        .add("sandbox", v.sesSandbox())
                        .add("checkedAt", v.checkedAt().toString()))
                .add("resend", Json.createObjectBuilder()
                        .add("local", v.resendLocal()))
                .add("limits", Json.createObjectBuilder()
                        .add("organizationShare", limits.organizationShare())
                        .add("recipientsPerMessage", limits.recipientsPerMessage())
                        .add(ProviderName.SES.wire(), rate(limits.ses()))
                        .add(ProviderName.RESEND.wire(), rate(limits.resend())))
                .add("usage", Json.createObjectBuilder()
                        .add("since", v.usageSince().toString())
                        .add("sent", sent));
        v.accountWide().ifPresent(wide -> json.add("accountWide", Json.createObjectBuilder()
                .add("ses", Json.createObjectBuilder()
                        .add("max24HourSend", wide.max24HourSend())
                        .add("maxSendRate", wide.maxSendRate())
                        .add("sentLast24Hours", wide.sentLast24Hours()))));
        return json.build();
    }

    private static JsonObjectBuilder rate(AccountStatus.Rate rate) {
        return Json.createObjectBuilder()
                .add("ratePerSecond", rate.perSecond())
                .add("ratePerSecondWhileOthersSend", rate.perSecondWhileOthersSend());
    }
}
