package dev.senders.infrastructure.sns;

/**
 * An SNS request the webhook refuses, with the HTTP status to answer: 400 for a malformed or stale message, 403 for
 * one that is not proven to come from Amazon SNS for an allowed topic (nothing of it is stored or fetched), 502 when
 * confirming a subscription with SNS failed (SNS sends the confirmation again later).
 */
public class SnsRejected extends RuntimeException {

    private final int status;
    private final String reason;

    public SnsRejected(int status, String reason, String detail) {
        this(status, reason, detail, null);
    }

    public SnsRejected(int status, String reason, String detail, Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.reason = reason;
    }

    /** The HTTP status to answer. */
    public int status() {
        return status;
    }

    /** A stable slug for the problem type, e.g. {@code sns-signature-invalid}. */
    public String reason() {
        return reason;
    }

    static SnsRejected malformed(String detail) {
        return new SnsRejected(400, "sns-malformed", detail);
    }

    static SnsRejected forbidden(String reason, String detail) {
        return new SnsRejected(403, reason, detail);
    }

    static SnsRejected forbidden(String reason, String detail, Throwable cause) {
        return new SnsRejected(403, reason, detail, cause);
    }
}
