package dev.senders.application.error;

/**
 * A failure the caller should see as an RFC 9457 problem: an HTTP status, a stable type slug, a title and a
 * human detail, and for validation errors the offending field and the reason.
 */
public class SendersProblem extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final String field;
    private final String reason;
    private Long retryAfterSeconds;

    public SendersProblem(int status, String type, String title, String detail) {
        this(status, type, title, detail, null, null);
    }

    public SendersProblem(int status, String type, String title, String detail, String field, String reason) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.field = field;
        this.reason = reason;
    }

    public int status() { return status; }
    public String type() { return type; }
    public String title() { return title; }
    public String detail() { return getMessage(); }
    public String field() { return field; }
    public String reason() { return reason; }

    public static SendersProblem notFound(String what) {
        return new SendersProblem(404, "not-found", "Not found", what + " was not found");
    }

    public static SendersProblem invalid(String field, String reason, String detail) {
        return new SendersProblem(400, "validation", "Invalid request", detail, field, reason);
    }

    public static SendersProblem conflict(String type, String detail) {
        return new SendersProblem(409, type, "Conflict", detail);
    }

    /** A 409 about one field of the request; its reason is the type. */
    public static SendersProblem conflict(String type, String detail, String field) {
        return new SendersProblem(409, type, "Conflict", detail, field, type);
    }

    public static SendersProblem unauthenticated() {
        return new SendersProblem(401, "unauthenticated", "Authentication required",
                "Sign in to use the Senders API");
    }

    public static SendersProblem noOrganization() {
        return new SendersProblem(403, "no-organization", "No organization",
                "The signed-in caller belongs to no organization");
    }

    /** 429 with the seconds to wait (the API adds Retry-After). */
    public static SendersProblem cooldown(long retryAfterSeconds, String detail) {
        SendersProblem problem = new SendersProblem(429, "cooldown", "Too Many Requests", detail);
        problem.retryAfterSeconds = retryAfterSeconds;
        return problem;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static SendersProblem forbidden(String detail) {
        return new SendersProblem(403, "forbidden", "Forbidden", detail);
    }
}
