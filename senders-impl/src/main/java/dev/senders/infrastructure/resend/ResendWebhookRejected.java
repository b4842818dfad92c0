package dev.senders.infrastructure.resend;

/** A Resend webhook message refused before anything is stored, with why ({@link Reason}) and the answer's status. */
public class ResendWebhookRejected extends RuntimeException {

    /** Why a message was refused. */
    public enum Reason {
        /** No webhook secret is configured ({@code senders.resend.webhook-secret}): every message is refused. */
        NOT_CONFIGURED(403, "resend-webhook-not-configured"),
        /** The svix-id, svix-timestamp or svix-signature header is missing or malformed. */
        MISSING_HEADERS(400, "resend-signature-missing"),
        /** The timestamp is older or newer than the tolerance ({@code senders.resend.webhook-tolerance}). */
        STALE_TIMESTAMP(400, "resend-timestamp-out-of-tolerance"),
        /** No signature matches any configured secret. */
        BAD_SIGNATURE(403, "resend-signature-invalid"),
        /** Signed, but not JSON, or not an event: no type, no data, no email id. */
        MALFORMED(400, "resend-event-malformed"),
        /** Signed, but of a type Resend does not document. */
        UNKNOWN_TYPE(400, "resend-event-unknown-type");

        private final int status;
        private final String wire;

        Reason(int status, String wire) {
            this.status = status;
            this.wire = wire;
        }

        public int status() {
            return status;
        }

        /** The problem type and the metric's reason. */
        public String wire() {
            return wire;
        }
    }

    private final Reason reason;

    public ResendWebhookRejected(Reason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
