package dev.senders.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Decides when {@link SesStub} moves a Pending identity (domain, DKIM, custom MAIL FROM, e-mail address)
 * to Success. It is asked whenever a Pending identity is read; a true answer is final. An exception is
 * reported as {@code TemporaryFailure} for that read and the identity is asked again later. Independently
 * of the policy, an identity still Pending after the stub's pending expiry (72 h by default) becomes Failed.
 * The control API ({@link SesStub#setVerificationStatus} and friends) overrides any policy.
 */
public interface VerificationPolicy {

    /**
     * @param domain            the domain identity, lower case
     * @param verificationToken the token SES told the caller to publish as TXT at {@code _amazonses.<domain>}
     * @param pendingFor        time since {@code VerifyDomainIdentity}
     */
    boolean domainVerified(String domain, String verificationToken, Duration pendingFor);

    /**
     * @param dkimTokens the three tokens; SES looks for CNAME {@code <token>._domainkey.<domain>}
     * @param pendingFor time since {@code VerifyDomainDkim}
     */
    boolean dkimVerified(String domain, List<String> dkimTokens, Duration pendingFor);

    /** Custom MAIL FROM domain (MX + SPF records); default: never by itself. */
    default boolean mailFromVerified(String mailFromDomain, Duration pendingFor) {
        return false;
    }

    /** E-mail address identities ({@code VerifyEmailIdentity}); default: never by itself. */
    default boolean emailVerified(String emailAddress, Duration pendingFor) {
        return false;
    }

    /** Everything becomes Success once {@code delay} has passed since it was requested (zero: at once). */
    static VerificationPolicy afterDelay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        return new VerificationPolicy() {
            @Override
            public boolean domainVerified(String domain, String token, Duration pendingFor) {
                return pendingFor.compareTo(delay) >= 0;
            }

            @Override
            public boolean dkimVerified(String domain, List<String> tokens, Duration pendingFor) {
                return pendingFor.compareTo(delay) >= 0;
            }

            @Override
            public boolean mailFromVerified(String mailFromDomain, Duration pendingFor) {
                return pendingFor.compareTo(delay) >= 0;
            }

            @Override
            public boolean emailVerified(String emailAddress, Duration pendingFor) {
                return pendingFor.compareTo(delay) >= 0;
            }

            @Override
            public String toString() {
                return "afterDelay(" + delay + ")";
            }
        };
    }

    /** Nothing changes by itself: only the stub's control API sets statuses (expiry to Failed still applies). */
    static VerificationPolicy manual() {
        return new VerificationPolicy() {
            @Override
            public boolean domainVerified(String domain, String token, Duration pendingFor) {
                return false;
            }

            @Override
            public boolean dkimVerified(String domain, List<String> tokens, Duration pendingFor) {
                return false;
            }

            @Override
            public String toString() {
                return "manual()";
            }
        };
    }

    /**
     * Success when the caller's DNS hooks say the records are there. The hooks receive the domain; they can
     * compare with {@link SesStub#verificationTokenFor(String)} / {@link SesStub#dkimTokensFor(String)},
     * which are deterministic. The custom MAIL FROM domain is taken as verified at once.
     *
     * @param txtFound  {@code domain -> true} when TXT {@code _amazonses.<domain>} holds the verification token
     * @param dkimFound {@code domain -> true} when the three DKIM CNAMEs resolve
     */
    static VerificationPolicy whenDnsResolves(Function<String, Boolean> txtFound, Function<String, Boolean> dkimFound) {
        return whenDnsResolves(txtFound, dkimFound, d -> true);
    }

    /** As {@link #whenDnsResolves(Function, Function)}, with a hook for the MAIL FROM domain's MX record too. */
    static VerificationPolicy whenDnsResolves(Function<String, Boolean> txtFound, Function<String, Boolean> dkimFound,
                                              Function<String, Boolean> mailFromMxFound) {
        Objects.requireNonNull(txtFound, "txtFound");
        Objects.requireNonNull(dkimFound, "dkimFound");
        Objects.requireNonNull(mailFromMxFound, "mailFromMxFound");
        return new VerificationPolicy() {
            @Override
            public boolean domainVerified(String domain, String token, Duration pendingFor) {
                return Boolean.TRUE.equals(txtFound.apply(domain));
            }

            @Override
            public boolean dkimVerified(String domain, List<String> tokens, Duration pendingFor) {
                return Boolean.TRUE.equals(dkimFound.apply(domain));
            }

            @Override
            public boolean mailFromVerified(String mailFromDomain, Duration pendingFor) {
                return Boolean.TRUE.equals(mailFromMxFound.apply(mailFromDomain));
            }

            @Override
            public String toString() {
                return "whenDnsResolves(...)";
            }
        };
    }
}
