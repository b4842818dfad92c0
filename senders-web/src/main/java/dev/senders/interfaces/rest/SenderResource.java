package dev.senders.interfaces.rest;

import dev.senders.application.PageOf;
import dev.senders.application.SenderOnboarding;
import dev.senders.application.SenderQueries;
import dev.senders.application.SenderVerification;
import dev.senders.application.VerifyCooldown;
import dev.senders.domain.model.DnsRecord;
import dev.senders.domain.model.Sender;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/**
 * The caller organization's senders: listing, adding, inspecting, removing, verifying, and the default sender.
 * Another organization's id answers 404.
 */
@Path("senders")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "400", ref = "BadRequest")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "404", ref = "NotFound")
@APIResponse(responseCode = "409", ref = "Conflict")
@APIResponse(responseCode = "429", ref = "TooManyRequests")
@APIResponse(responseCode = "502", ref = "ProviderError")
public class SenderResource {

    @Inject
    CurrentTenant tenant;

    @Inject
    SenderQueries queries;

    @Inject
    SenderOnboarding onboarding;

    @Inject
    SenderVerification verification;

    @Inject
    VerifyCooldown cooldown;

    @Inject
    dev.senders.application.MailFromSetup mailFrom;

    @Inject
    dev.senders.application.SenderReadiness readiness;

    /** A sender with the DNS records its domain needs. */
    public record Details(SenderView sender, List<DnsRecord> dnsRecords) {
    }

    /**
     * A sender with each DNS record's live status, when "check again" is next allowed, and its readiness for bulk mail
     * (null for a deleted sender).
     */
    @JsonbNillable
    public record Inspected(SenderView sender, List<RecordView> dnsRecords, long verifyCooldownSeconds,
                            dev.senders.application.SenderReadiness.Readiness readiness) {
    }

    @GET
    public SenderView.Page list(@QueryParam("page") @DefaultValue("1") String page,
                                @QueryParam("size") @DefaultValue("20") String size,
                                @QueryParam("deleted") @DefaultValue("false") String deleted) {
        var caller = tenant.require();
        if (RequestValues.booleanParam("deleted", deleted)) {
            // the senders deleted within the restore window, newest first
            List<SenderView> items = queries.deleted(caller).stream()
                    .map(s -> SenderView.of(s, onboarding.restorableUntil(s))).toList();
            return new SenderView.Page(items, 1, Math.max(1, items.size()), items.size());
        }
        PageOf<Sender> result = queries.list(caller, RequestValues.intParam("page", page),
                RequestValues.intParam("size", size));
        return new SenderView.Page(result.items().stream().map(SenderView::of).toList(),
                result.page(), result.size(), result.total());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(String body, @jakarta.ws.rs.core.Context UriInfo uri) {
        var caller = tenant.require();
        String emailAddress = JsonBodies.requiredString(JsonBodies.object(body, Set.of("emailAddress")),
                "emailAddress");
        Sender sender = onboarding.add(caller, emailAddress).sender();
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(sender.getId())).build())
                .entity(details(sender))
                .build();
    }

    @GET
    @Path("{id}")
    public Inspected get(@PathParam("id") String id) {
        var caller = tenant.require();
        Sender sender = queries.get(caller, RequestValues.id(id));
        if (sender.isDeleted()) {
            return new Inspected(SenderView.of(sender, onboarding.restorableUntil(sender)), List.of(), 0, null);
        }
        String domainStatus = sender.getSesDomainStatus();
        String dkimStatus = sender.getLastVerifiedAt() == null ? null : SesStatuses.dkim(sender.getDkimStatus());
        var checks = verification.liveRecords(sender);
        return new Inspected(SenderView.of(sender), checks.stream()
                .map(c -> RecordView.of(c, domainStatus, dkimStatus)).toList(),
                cooldown.remainingSeconds(sender), readiness.of(sender, checks));
    }


    /** Deletes the sender: hidden and no longer used at once, restorable for 7 days (then deleted for good). */
    @DELETE
    @Path("{id}")
    public Response remove(@PathParam("id") String id) {
        onboarding.remove(tenant.require(), RequestValues.id(id));
        return Response.noContent().build();
    }

    /** Brings back a sender deleted within the restore window (409 when not deleted, 410 after the window). */
    @POST
    @Path("{id}/restore")
    @Consumes(MediaType.APPLICATION_JSON) // or no body: never a cross-site form's text/plain or form post
    public SenderView restore(@PathParam("id") String id) {
        return SenderView.of(onboarding.restore(tenant.require(), RequestValues.id(id)));
    }

    private Details details(Sender sender) {
        return new Details(SenderView.of(sender), queries.dnsRecords(sender));
    }

    @JsonbNillable
    public record VerificationDetails(String domainStatus, String dkimStatus, OffsetDateTime lastCheckedAt,
                          boolean isFullyVerified) {
    }

    public record Verified(SenderView sender, List<RecordView> dnsRecords, VerificationDetails verificationDetails,
                           long verifyCooldownSeconds, dev.senders.application.SenderReadiness.Readiness readiness) {
    }

    @POST
    @Path("{id}/verify")
    @Consumes(MediaType.APPLICATION_JSON) // or no body: never a cross-site form's text/plain or form post
    public Verified verify(@PathParam("id") String id) {
        SenderVerification.Checked checked = verification.verifyNow(tenant.require(), RequestValues.id(id));
        Sender s = checked.sender();
        String domainStatus = checked.ses().domainStatus();
        String dkimStatus = checked.ses().dkimStatus();
        return new Verified(SenderView.of(s),
                checked.records().stream().map(c -> RecordView.of(c, domainStatus, dkimStatus)).toList(),
                new VerificationDetails(domainStatus == null ? "NotFound" : domainStatus,
                        dkimStatus == null ? "NotStarted" : dkimStatus, checked.checkedAt(), s.isFullyVerified()),
                cooldown.remainingSeconds(s), readiness.of(s, checked.records()));
    }

    @POST
    @Path("{id}/set-default")
    @Consumes(MediaType.APPLICATION_JSON) // or no body: never a cross-site form's text/plain or form post
    public SenderView setDefault(@PathParam("id") String id) {
        return SenderView.of(verification.setDefault(tenant.require(), RequestValues.id(id)));
    }

    /**
     * Sets a custom MAIL FROM subdomain ({@code {"mailFromDomain": "mail.acme.com"}}, or no body for the default).
     * JSON only: a {@code text/plain} body (which a cross-site form can post with the session cookie) is 415.
     */
    @POST
    @Path("{id}/mail-from")
    @Consumes(MediaType.APPLICATION_JSON)
    public Inspected setMailFrom(@PathParam("id") String id, String body) {
        var caller = tenant.require();
        String requested = body == null || body.isBlank() ? null
                : optionalString(JsonBodies.object(body, Set.of("mailFromDomain")), "mailFromDomain");
        mailFrom.set(caller, RequestValues.id(id), requested);
        return get(id);
    }

    private static String optionalString(jakarta.json.JsonObject object, String field) {
        return object.containsKey(field) && !object.isNull(field) ? JsonBodies.requiredString(object, field) : null;
    }

    @POST
    @Path("{id}/restart-verification")
    @Consumes(MediaType.APPLICATION_JSON) // or no body: never a cross-site form's text/plain or form post
    public SenderView restart(@PathParam("id") String id) {
        return SenderView.of(verification.restart(tenant.require(), RequestValues.id(id)));
    }
}
