package dev.senders.sandbox;

/**
 * The made-up credentials the end-to-end tests give the module for the stub endpoints, in one place, so that a test
 * can search the logs of the whole run for them (no secret may ever be logged).
 */
public final class TestCredentials {

    public static final String SES_ACCESS_KEY = "AKIATESTSTUBKEY00001";
    public static final String SES_SECRET_KEY = "test-secret-for-the-stub";
    public static final String RESEND_API_KEY = "re_test_key_for_the_stub";

    private TestCredentials() {
    }
}
