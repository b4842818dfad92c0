package dev.senders.interfaces.rest;

import dev.senders.application.error.SendersProblem;
import dev.senders.application.unsubscribe.Unsubscriptions;
import dev.senders.infrastructure.unsubscribe.TokenCheck;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The one-click unsubscribe links (RFC 8058, RFC 2369), public: the web fragment leaves {@code /api/unsubscribe/*}
 * open, since the signed token in the path is the only authority (it names the organization and the recipient).
 * <ul>
 *     <li>{@code GET /api/unsubscribe/{token}}: a small HTML page asking to confirm, with a button that POSTs the
 *     one-click body to the same URL; changes nothing (mail scanners follow links). A refused token gets an HTML page
 *     with the status below.</li>
 *     <li>{@code POST /api/unsubscribe/{token}} with {@code List-Unsubscribe=One-Click} as
 *     {@code multipart/form-data} or {@code application/x-www-form-urlencoded} (what mailbox providers send):
 *     suppresses the recipient for the organization and fires {@code RecipientUnsubscribed}; idempotent (200 the
 *     same every time). The answer is {@code {"outcome": "unsubscribed"}}, or the HTML page for a client that asks
 *     for HTML first (the page's own button); refusals are problem+json (or the HTML page): 415 another body type,
 *     400 no {@code List-Unsubscribe=One-Click}, 400 a malformed or forged token ({@code field} {@code token},
 *     {@code reason} {@code malformed} or {@code invalid-signature}), 410 an expired one ({@code expired}), 404 when
 *     the server makes no unsubscribe links. Never a redirect (RFC 8058).</li>
 *     <li>{@code GET /api/unsubscribe/page.css}: the pages' stylesheet.</li>
 * </ul>
 */
@Path("unsubscribe")
@RequestScoped
public class UnsubscribeResource {

    private static final MediaType HTML = MediaType.TEXT_HTML_TYPE.withCharset("UTF-8");
    private static final MediaType CSS = new MediaType("text", "css", "UTF-8");

    @Inject
    Unsubscriptions unsubscriptions;

    @Context
    HttpHeaders headers;

    /** The confirmation page; changes nothing. */
    @GET
    @Path("{token}")
    public Response page(@PathParam("token") String token) {
        Unsubscriptions.Link link = unsubscriptions.look(token);
        if (!link.check().valid()) {
            return refusedPage(refusal(link.check()));
        }
        String recipient = link.check().token().recipient();
        return html(200, link.unsubscribed() ? UnsubscribePage.unsubscribed(recipient)
                : UnsubscribePage.confirm(recipient));
    }

    /** The one-click unsubscribe. */
    @POST
    @Path("{token}")
    @Consumes(MediaType.WILDCARD)
    public Response unsubscribe(@PathParam("token") String token, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
                                byte[] body) {
        boolean html = prefersHtml();
        OneClickBody.Kind kind = OneClickBody.read(type, body);
        if (kind != OneClickBody.Kind.ONE_CLICK) {
            return refuse(refusal(kind), html);
        }
        TokenCheck check = unsubscriptions.unsubscribe(token);
        if (!check.valid()) {
            return refuse(refusal(check), html);
        }
        if (html) {
            return html(200, UnsubscribePage.unsubscribed(check.token().recipient()));
        }
        return Response.ok(Json.createObjectBuilder().add("outcome", "unsubscribed").build().toString(),
                MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** The pages' stylesheet. */
    @GET
    @Path(UnsubscribePage.STYLESHEET)
    public Response stylesheet() {
        try (InputStream css = UnsubscribeResource.class.getResourceAsStream("unsubscribe-page.css")) {
            if (css == null) {
                throw new IllegalStateException("unsubscribe-page.css is missing from the module's jar");
            }
            return Response.ok(css.readAllBytes(), CSS).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Why a request was refused: the problem (status, type, title, detail, field, reason) and the page's words.
     */
    record Refusal(SendersProblem problem, String pageTitle, String advice) {
    }

    static Refusal refusal(TokenCheck check) {
        String again = "Open the link from the email again, or use the unsubscribe link of a more recent email from"
                + " this sender.";
        return switch (check.outcome()) {
            case MALFORMED -> new Refusal(SendersProblem.invalid("token", "malformed",
                    "The unsubscribe link is not valid: its token is malformed (cut off or changed)"),
                    "This unsubscribe link is not valid", "It may have been cut off or changed. " + again);
            case FORGED -> new Refusal(SendersProblem.invalid("token", "invalid-signature",
                    "The unsubscribe link is not valid: its token was not signed by this server"),
                    "This unsubscribe link is not valid", "It may have been cut off or changed. " + again);
            case EXPIRED -> new Refusal(new SendersProblem(410, "link-expired", "Gone",
                    "The unsubscribe link has expired; use the link of a more recent email", "token", "expired"),
                    "This unsubscribe link has expired", "Use the unsubscribe link of a more recent email from"
                    + " this sender.");
            case NOT_CONFIGURED -> new Refusal(SendersProblem.notFound("Unsubscribe links are not in use on this"
                    + " server: the link"), "This unsubscribe link is not in use", "Reply to the email and ask the"
                    + " sender to stop.");
            case VALID -> throw new IllegalArgumentException("a valid token is not refused");
        };
    }

    static Refusal refusal(OneClickBody.Kind kind) {
        String page = "This request cannot unsubscribe";
        String advice = "Open the unsubscribe link from the email and press its button.";
        return switch (kind) {
            case UNSUPPORTED_TYPE -> new Refusal(new SendersProblem(415, "http-415", "Unsupported Media Type",
                    "Send List-Unsubscribe=One-Click as multipart/form-data or application/x-www-form-urlencoded",
                    "Content-Type", "unsupported"), page, advice);
            case MALFORMED -> new Refusal(SendersProblem.invalid("body", "malformed",
                    "The body is not a well-formed form"), page, advice);
            case MISSING -> new Refusal(SendersProblem.invalid(OneClickBody.FIELD, "missing",
                    "The body must carry List-Unsubscribe=One-Click (RFC 8058)"), page, advice);
            case NOT_ONE_CLICK -> new Refusal(SendersProblem.invalid(OneClickBody.FIELD, "not-one-click",
                    "List-Unsubscribe must be One-Click (RFC 8058)"), page, advice);
            case ONE_CLICK -> throw new IllegalArgumentException("a one-click body is not refused");
        };
    }

    private static Response refuse(Refusal refusal, boolean html) {
        if (html) {
            return refusedPage(refusal);
        }
        throw refusal.problem();
    }

    private static Response refusedPage(Refusal refusal) {
        return html(refusal.problem().status(), UnsubscribePage.refused(refusal.pageTitle(), refusal.advice()));
    }

    private static Response html(int status, String page) {
        return Response.status(status).type(HTML).entity(page).build();
    }

    /**
     * Whether the client asks for HTML before anything else it names (a browser submitting the page's form): the
     * first acceptable type that is HTML or JSON decides; a wildcard before either means JSON.
     */
    private boolean prefersHtml() {
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isWildcardType() || type.isWildcardSubtype()) {
                return false;
            }
            if (type.getType().equalsIgnoreCase("text") && type.getSubtype().equalsIgnoreCase("html")) {
                return true;
            }
            if (type.getSubtype().toLowerCase(java.util.Locale.ROOT).contains("json")) {
                return false;
            }
        }
        return false;
    }
}
