package dev.senders.interfaces.rest;

import dev.senders.application.activity.SendActivity;
import dev.senders.application.error.SendersProblem;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The caller organization's emails (its sends through the module), for the Emails (activity) page:
 * <pre>
 * GET /api/emails?size=20&amp;cursor=...&amp;q=ann&amp;status=sent&amp;provider=ses&amp;campaign=41
 *   {"items": [Email...], "size": 20, "next": "cursor of the next (older) page" | null}
 * GET /api/emails/{id}
 *   {"email": Email, "timeline": [{"type": "queued" | "sent" | "failed" | ... | "delivered" | "bounced" | "complained"
 *                                   | "opened" | "clicked", "at": "...", "source": "module" | "ses" | "resend",
 *                                   "detail": "..."}]}
 * </pre>
 * Newest first, by keyset: {@code next} is opaque, and a page costs the same however far back it is. {@code q}: the
 * recipients that start with it (case-insensitive); {@code status}: the module's record (sending, sent, failed,
 * suppressed, unknown, paused); {@code provider}: ses or resend; {@code campaign}: the campaign id the host passed with
 * the message. A bad value is 400 naming the field; another organization's email is 404.
 */
@Path("emails")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "400", ref = "BadRequest")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "404", ref = "NotFound")
public class EmailResource {

    @Inject
    CurrentTenant tenant;

    @Inject
    SendActivity activity;

    /**
     * An email as listed. Addresses are as stored (the domain in A-labels, as DNS and the providers need it);
     * {@code recipientUnicode} and {@code fromUnicode} are the same with the domain readable (equal when it is ASCII).
     * {@code lastEvent}: the provider's latest event about it (delivered, bounced, complained, opened, clicked), or
     * null. {@code warning}: the routing warning of the send (e.g. sent through the platform's shared domain).
     */
    @JsonbNillable
    public record Email(long id, String recipient, String recipientUnicode, String from, String fromUnicode,
                        String provider, String messageId, String status, String error, String warning,
                        String campaignId, OffsetDateTime createdAt, OffsetDateTime updatedAt, String lastEvent,
                        OffsetDateTime lastEventAt) {

        static Email of(SendActivity.Send s) {
            return new Email(s.id(), s.recipient(), Addresses.unicode(s.recipient()), s.fromAddress(),
                    Addresses.unicode(s.fromAddress()), s.provider(), s.messageId(), s.status(), s.error(),
                    s.warning(), s.campaignId(), s.createdAt(), s.updatedAt(), eventName(s.lastEvent()),
                    s.lastEventAt());
        }
    }

    /**
     * One step of an email's life. {@code source}: {@code module} (the module's own record) or the provider that
     * reported it. {@code detail}: a failure's error, a bounce's kind and diagnostic, a complaint's feedback type, a
     * clicked link.
     */
    @JsonbNillable
    public record Step(String type, OffsetDateTime at, String source, String detail) {
    }

    @JsonbNillable
    public record Page(List<Email> items, int size, String next) {
    }

    public record Details(Email email, List<Step> timeline) {
    }

    @GET
    public Page list(@QueryParam("size") @DefaultValue("20") String size,
                     @QueryParam("cursor") String cursor,
                     @QueryParam("q") String q,
                     @QueryParam("status") String status,
                     @QueryParam("provider") String provider,
                     @QueryParam("campaign") String campaign) {
        var caller = tenant.require();
        SendActivity.Filter filter = SendActivity.checked(q, status, provider, campaign);
        SendActivity.Page page = activity.page(caller, filter, cursor, RequestValues.intParam("size", size));
        return new Page(page.items().stream().map(Email::of).toList(), page.size(), page.next());
    }

    @GET
    @Path("{id}")
    public Details get(@PathParam("id") String id) {
        var caller = tenant.require();
        SendActivity.Timeline t = activity.get(caller, id(id));
        return new Details(Email.of(t.send()), timeline(t));
    }

    /** The module's record first (queued, then its outcome), then the provider's events as they happened. */
    static List<Step> timeline(SendActivity.Timeline t) {
        SendActivity.Send s = t.send();
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("queued", s.createdAt(), "module", null));
        switch (s.status()) {
            case "sent" -> steps.add(new Step("sent", s.updatedAt(), "module",
                    s.messageId() == null ? null : "Accepted by " + providerName(s.provider())));
            case "sending" -> { /* the provider call is under way */ }
            default -> steps.add(new Step(s.status(), s.updatedAt(), "module", s.error()));
        }
        for (SendActivity.Event e : t.events()) {
            steps.add(new Step(eventName(e.type()), e.occurredAt(), e.provider(), detail(e)));
        }
        return steps;
    }

    private static String detail(SendActivity.Event e) {
        if ("bounce".equals(e.type())) {
            String kind = e.bounceType() == null ? null
                    : e.bounceType() + (e.bounceSubType() == null ? "" : " (" + e.bounceSubType() + ")");
            if (kind == null) {
                return e.detail();
            }
            return e.detail() == null ? kind : kind + ": " + e.detail();
        }
        return e.detail();
    }

    /** The event as the page names it: delivered, bounced, complained, opened, clicked. */
    static String eventName(String type) {
        if (type == null) {
            return null;
        }
        return switch (type) {
            case "delivery" -> "delivered";
            case "bounce" -> "bounced";
            case "complaint" -> "complained";
            case "open" -> "opened";
            case "click" -> "clicked";
            default -> type;
        };
    }

    private static String providerName(String provider) {
        return "resend".equals(provider) ? "Resend" : "Amazon SES";
    }

    /** A malformed id names no email: 404. */
    private static long id(String value) {
        try {
            long id = Long.parseLong(value);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // not found
        }
        throw SendersProblem.notFound("Email " + value.replaceAll("[^A-Za-z0-9_-]", "?"));
    }
}
