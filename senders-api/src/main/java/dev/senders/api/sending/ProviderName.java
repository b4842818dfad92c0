package dev.senders.api.sending;

/** The email providers the module sends through. */
public enum ProviderName {
    /** Amazon SES, from the organization's own verified domain. */
    SES,
    /** Resend, from the platform's shared default domain. */
    RESEND;

    /** The name recorded with each send ("ses" or "resend"). */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
