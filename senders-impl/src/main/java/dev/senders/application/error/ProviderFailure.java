package dev.senders.application.error;

/**
 * An email provider (SES, Resend) refused or failed a call. The caller sees a clear problem (502, or 504 on a
 * timeout) naming the provider, the operation and the provider's error code; the cause stays in the server log.
 */
public class ProviderFailure extends SendersProblem {

    private final String providerCode;
    private final boolean retryable;

    private ProviderFailure(int status, String type, String detail, String providerCode, boolean retryable,
                            Throwable cause) {
        super(status, type, status == 504 ? "Provider timeout" : "Provider error", detail);
        this.providerCode = providerCode;
        this.retryable = retryable;
        if (cause != null) {
            initCause(cause);
        }
    }

    public static ProviderFailure rejected(String provider, String operation, String code, String message,
                                           int httpStatus, Throwable cause) {
        boolean retryable = httpStatus >= 500 || "Throttling".equals(code);
        String detail = provider + " rejected " + operation + (code == null ? "" : ": " + code)
                + (message == null || message.isBlank() ? "" : " (" + message + ")");
        return new ProviderFailure(502, "provider-error", detail, code, retryable, cause);
    }

    public static ProviderFailure timedOut(String provider, String operation, Throwable cause) {
        return new ProviderFailure(504, "provider-timeout",
                provider + " did not answer " + operation + " in time; try again later", "Timeout", true, cause);
    }

    public static ProviderFailure unreachable(String provider, String operation, Throwable cause) {
        return new ProviderFailure(502, "provider-unreachable",
                provider + " could not be reached for " + operation + "; try again later", "Unreachable", true, cause);
    }

    public String providerCode() {
        return providerCode;
    }

    public boolean retryable() {
        return retryable;
    }
}
