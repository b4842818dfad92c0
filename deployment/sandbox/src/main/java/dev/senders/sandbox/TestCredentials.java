package dev.senders.sandbox;

/**
 * The made-up credentials the end-to-end tests give the module for the stub endpoints, in one place, so that a test
 * can search the logs of the whole run for them (no secret may ever be logged).
 */
public final class TestCredentials {

    public static final String SES_ACCESS_KEY = "AKIATESTSTUBKEY00001";
    public static final String SES_SECRET_KEY = "test-secret-for-the-stub";
    public static final String RESEND_API_KEY = "re_test_key_for_the_stub";
    /** The secret that signs the unsubscribe links ({@code senders.unsubscribe.secrets}, first). */
    public static final String UNSUBSCRIBE_SECRET = "unsubscribe-test-secret-current-0001";
    /** A retired secret that still verifies the links it signed (the second of {@code senders.unsubscribe.secrets}). */
    public static final String UNSUBSCRIBE_RETIRED_SECRET = "unsubscribe-test-secret-retired-0002";
    /** The Resend webhook signing secret the tests configure ({@code whsec_} and base64, as Resend shows it). */
    public static final String RESEND_WEBHOOK_SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString(
            "senders-test-resend-webhook-key-1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    /** A second one, configured too (a rotation: either signs). */
    public static final String RESEND_WEBHOOK_SECRET_NEXT = "whsec_" + java.util.Base64.getEncoder().encodeToString(
            "senders-test-resend-webhook-key-2".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    private TestCredentials() {
    }
}
