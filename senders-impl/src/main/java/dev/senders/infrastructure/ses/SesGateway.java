package dev.senders.infrastructure.ses;

import dev.senders.application.error.ProviderFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.model.GetSendQuotaResponse;
import software.amazon.awssdk.services.ses.model.IdentityDkimAttributes;
import software.amazon.awssdk.services.ses.model.IdentityVerificationAttributes;
import software.amazon.awssdk.services.ses.model.SesException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Amazon SES (v1 API) as the module uses it. Throttling and 5xx answers are retried by the SDK with backoff; every
 * other SES error becomes a {@link ProviderFailure} with a clear message, never a raw stack trace or a hang.
 */
@ApplicationScoped
public class SesGateway {

    /** SES accepts at most this many identities per attribute call. */
    public static final int MAX_IDENTITIES_PER_CALL = 100;

    @Inject
    SesClient ses;

    @Inject
    SesSettings settings;

    public record IdentityVerification(String status, String token) {
    }

    public record IdentityDkim(boolean enabled, String status, List<String> tokens) {
    }

    public record SendQuota(double max24HourSend, double maxSendRate, double sentLast24Hours) {
    }

    public String verifyDomainIdentity(String domain) {
        return call("VerifyDomainIdentity", () -> ses.verifyDomainIdentity(r -> r.domain(domain)).verificationToken());
    }

    public List<String> verifyDomainDkim(String domain) {
        return call("VerifyDomainDkim", () -> List.copyOf(ses.verifyDomainDkim(r -> r.domain(domain)).dkimTokens()));
    }

    public Map<String, IdentityVerification> getIdentityVerificationAttributes(Collection<String> domains) {
        Map<String, IdentityVerification> result = new LinkedHashMap<>();
        for (List<String> batch : batches(domains)) {
            Map<String, IdentityVerificationAttributes> page = call("GetIdentityVerificationAttributes",
                    () -> ses.getIdentityVerificationAttributes(r -> r.identities(batch)).verificationAttributes());
            page.forEach((identity, a) -> result.put(identity,
                    new IdentityVerification(a.verificationStatusAsString(), a.verificationToken())));
        }
        return result;
    }

    public Map<String, IdentityDkim> getIdentityDkimAttributes(Collection<String> domains) {
        Map<String, IdentityDkim> result = new LinkedHashMap<>();
        for (List<String> batch : batches(domains)) {
            Map<String, IdentityDkimAttributes> page = call("GetIdentityDkimAttributes",
                    () -> ses.getIdentityDkimAttributes(r -> r.identities(batch)).dkimAttributes());
            page.forEach((identity, a) -> result.put(identity, new IdentityDkim(Boolean.TRUE.equals(a.dkimEnabled()),
                    a.dkimVerificationStatusAsString(), List.copyOf(a.dkimTokens()))));
        }
        return result;
    }

    /** Custom MAIL FROM; when its MX is missing SES falls back to amazonses.com (UseDefaultValue). */
    public void setIdentityMailFromDomain(String domain, String mailFromDomain) {
        call("SetIdentityMailFromDomain", () -> ses.setIdentityMailFromDomain(r -> r.identity(domain)
                .mailFromDomain(mailFromDomain).behaviorOnMXFailure("UseDefaultValue")));
    }

    /** MailFromDomainStatus per identity (at most 100 per call). */
    public Map<String, String> getIdentityMailFromDomainStatus(Collection<String> domains) {
        Map<String, String> result = new LinkedHashMap<>();
        for (List<String> batch : batches(domains)) {
            var page = call("GetIdentityMailFromDomainAttributes",
                    () -> ses.getIdentityMailFromDomainAttributes(r -> r.identities(batch)).mailFromDomainAttributes());
            page.forEach((identity, a) -> result.put(identity, a.mailFromDomainStatusAsString()));
        }
        return result;
    }

    public void deleteIdentity(String domain) {
        call("DeleteIdentity", () -> ses.deleteIdentity(r -> r.identity(domain)));
    }

    public SendQuota getSendQuota() {
        GetSendQuotaResponse quota = call("GetSendQuota", () -> ses.getSendQuota());
        return new SendQuota(quota.max24HourSend(), quota.maxSendRate(), quota.sentLast24Hours());
    }

    /** In the SES sandbox: sending disabled for the account, or the sandbox quota of 200 a day. */
    public boolean isInSandbox() {
        boolean enabled = call("GetAccountSendingEnabled", () -> ses.getAccountSendingEnabled().enabled());
        return !enabled || getSendQuota().max24HourSend() <= 200;
    }

    /** The CNAME target of a DKIM token in the configured region. */
    public String dkimTarget(String token) {
        return token + "." + settings.dkimDomain();
    }

    public String region() {
        return settings.region();
    }

    /** Distinct items in lists of at most {@value #MAX_IDENTITIES_PER_CALL}. */
    public static List<List<String>> batches(Collection<String> items) {
        List<String> all = items.stream().distinct().toList();
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < all.size(); i += MAX_IDENTITIES_PER_CALL) {
            batches.add(all.subList(i, Math.min(all.size(), i + MAX_IDENTITIES_PER_CALL)));
        }
        return batches;
    }

    private <T> T call(String operation, Supplier<T> request) {
        try {
            return request.get();
        } catch (SesException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
            throw ProviderFailure.rejected("Amazon SES", operation, code, message, e.statusCode(), e);
        } catch (ApiCallTimeoutException | ApiCallAttemptTimeoutException e) {
            throw ProviderFailure.timedOut("Amazon SES", operation, e);
        } catch (SdkClientException e) {
            throw ProviderFailure.unreachable("Amazon SES", operation, e);
        }
    }
}
