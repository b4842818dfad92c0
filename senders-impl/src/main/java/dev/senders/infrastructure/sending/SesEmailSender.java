package dev.senders.infrastructure.sending;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.ProviderName;
import dev.senders.api.sending.SendResult;
import dev.senders.infrastructure.ratelimit.RateSlot;
import dev.senders.infrastructure.unsubscribe.UnsubscribeLinks;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.retry.RetryUtils;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.model.Body;
import software.amazon.awssdk.services.ses.model.Content;
import software.amazon.awssdk.services.ses.model.MessageTag;
import software.amazon.awssdk.services.ses.model.SendEmailRequest;
import software.amazon.awssdk.services.ses.model.SendRawEmailRequest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Sends one {@link EmailMessage} through Amazon SES (v1 API), from a domain the caller says is verified.
 * <p>
 * A message without extra headers goes out with {@code SendEmail} (Source = the encoded From mailbox, subject and
 * bodies in UTF-8, Reply-To, configuration set, tags). {@code SendEmail} cannot carry custom headers, so a message
 * with {@link EmailMessage#headers()} or a one-click unsubscribe link ({@code List-Unsubscribe},
 * {@code List-Unsubscribe-Post}: {@link MessageHeaders#encode(EmailMessage, UnsubscribeLinks)}) is built as MIME
 * with Jakarta Mail and goes out with {@code SendRawEmail}, with the same Source, recipient, configuration set and
 * tags. Either way one send is one SDK call. Within it, 5xx are retried with backoff up to the client's maximum attempts, but, unlike the client's
 * default policy, a timed-out attempt is not (SES may have accepted it, and SES v1 has no idempotency), nor is a
 * throttled one (it counts against SES's rate; the caller sends again after a new rate-limit token).
 * <p>
 * Never throws for a provider failure: throttling, 5xx, timeouts and connection errors give a retryable
 * {@code FAILED}; every other SES error (MessageRejected, MailFromDomainNotVerified, ConfigurationSetDoesNotExist,
 * other 4xx) a non-retryable one with the SES code and message. Does not rate-limit or check suppression, but each
 * attempt claims the calling thread's {@link RateSlot} just before it goes on the wire, and throws
 * {@link RateSlot.Missed} instead of sending when it is too late for it. Thread-safe.
 */
public final class SesEmailSender {

    static final String CHARSET = "UTF-8";
    private static final Set<String> THROTTLING_CODES = Set.of("Throttling", "ThrottlingException",
            "TooManyRequestsException", "RequestThrottled", "SlowDown");

    private final SesClient ses;
    private final UnsubscribeLinks unsubscribeLinks;

    /** A sender that makes no unsubscribe links (a message asking for one is invalid). */
    public SesEmailSender(SesClient ses) {
        this(ses, UnsubscribeLinks.none());
    }

    /**
     * @param ses an SES client built for sending ({@link #forSending}: its retry strategy and the rate slot's
     *            on-the-wire check are the client's own, so that no request carries a plugin, which made the SDK copy
     *            the client's whole configuration for every send)
     * @param unsubscribeLinks the module's one-click unsubscribe links, for messages that ask for one
     * @throws IllegalArgumentException when {@code ses} was not built {@link #forSending}: its own retry policy would
     *                                  repeat a timed-out send, which SES may have accepted
     */
    public SesEmailSender(SesClient ses, UnsubscribeLinks unsubscribeLinks) {
        this.ses = Objects.requireNonNull(ses, "ses");
        this.unsubscribeLinks = Objects.requireNonNull(unsubscribeLinks, "unsubscribeLinks");
        boolean forSending = ses.serviceClientConfiguration().overrideConfiguration().executionInterceptors().stream()
                .anyMatch(OnTheWire.class::isInstance);
        if (!forSending) {
            throw new IllegalArgumentException("the SES client for sending must be built with"
                    + " SesEmailSender.forSending (its retries and the rate slot's on-the-wire check)");
        }
    }

    /** The client it sends with (its producer closes it with the application). */
    SesClient client() {
        return ses;
    }

    /**
     * The configuration of an SES client for sending, on top of {@code o} (timeouts and the like): 5xx, clock skew and
     * connections that never reached SES are retried with backoff up to {@code maxAttempts}, a timed-out or
     * throttled attempt is not ({@link #certainlyNotAccepted}, {@link #throttled}), and each attempt claims the calling
     * thread's {@link RateSlot} just before it goes on the wire.
     */
    public static ClientOverrideConfiguration.Builder forSending(ClientOverrideConfiguration.Builder o,
                                                                 int maxAttempts) {
        RetryStrategy strategy = DefaultRetryStrategy.standardStrategyBuilder()
                .maxAttempts(maxAttempts)
                .retryOnException(t -> certainlyNotAccepted(t) && !throttled(t))
                .useClientDefaults(false)
                .build();
        return o.retryStrategy(strategy).addExecutionInterceptor(new OnTheWire());
    }

    /** Each attempt of a send claims the thread's rate slot just before it goes on the wire. */
    private static final class OnTheWire implements ExecutionInterceptor {
        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            RateSlot.claim();
        }
    }

    /**
     * SES answered that the account sends too fast. Not repeated within the call: every attempt counts against SES's
     * rate as it arrives, so the caller sends again only with a new token of the rate limit.
     */
    static boolean throttled(Throwable t) {
        return t instanceof SdkException e && RetryUtils.isThrottlingException(e);
    }

    /**
     * Whether a failed attempt may be repeated without risking a second copy of the message (SES v1 has no
     * idempotency key): throttling, clock skew, 5xx (as AWS advises) and connections that never reached SES.
     * Unlike the client's default policy, a timed-out or broken attempt is not repeated: SES may have accepted it.
     */
    static boolean certainlyNotAccepted(Throwable t) {
        if (t instanceof SdkServiceException e) {
            return e.statusCode() >= 500 || RetryUtils.isThrottlingException(e) || RetryUtils.isClockSkewException(e);
        }
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ConnectException || c instanceof UnknownHostException || c instanceof NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sends the message.
     *
     * @param message          the message; its From domain must be {@code verifiedDomain} or a subdomain of it
     * @param verifiedDomain   the organization's verified SES domain identity the From address belongs to
     * @param configurationSet the SES configuration set for events, or null for none
     */
    public SendResult send(EmailMessage message, String verifiedDomain, String configurationSet) {
        Prepared prepared = prepare(message, verifiedDomain, configurationSet);
        return prepared.refused() != null ? prepared.refused() : send(prepared);
    }

    /**
     * A message ready to go: its request built (the MIME of a raw message included), so that what is left at the
     * rate-limit slot is the call itself; or the refusal of a message that cannot be sent as it is.
     */
    public static final class Prepared {
        private final SendEmailRequest email;
        private final SendRawEmailRequest raw;
        private final SendResult refused;

        private Prepared(SendEmailRequest email, SendRawEmailRequest raw, SendResult refused) {
            this.email = email;
            this.raw = raw;
            this.refused = refused;
        }

        /** The refusal (FAILED, INVALID) when the message cannot be sent as it is; null when it is ready. */
        public SendResult refused() {
            return refused;
        }
    }

    /** Checks and builds the request of one message (no call): {@link #send(Prepared)} sends it. */
    public Prepared prepare(EmailMessage message, String verifiedDomain, String configurationSet) {
        MessageHeaders.Encoded encoded;
        try {
            encoded = MessageHeaders.encode(message, unsubscribeLinks);
            requireDomain(encoded.fromAddress(), verifiedDomain);
        } catch (MessageHeaders.InvalidMessageException e) {
            return new Prepared(null, null, failed(SendResult.Failure.INVALID, e.getMessage(), false));
        }
        String configSet = configurationSet == null || configurationSet.isBlank() ? null : configurationSet.strip();
        try {
            return encoded.headers().isEmpty()
                    ? new Prepared(emailRequest(message, encoded, configSet), null, null)
                    : new Prepared(null, rawRequest(message, encoded, configSet), null);
        } catch (MessagingException | IOException e) {
            return new Prepared(null, null, failed(SendResult.Failure.INVALID, "could not build the MIME message: "
                    + e.getMessage(), false));
        }
    }

    /** Sends a prepared message (one SDK call; a refused one answers its refusal). Never throws but for a missed slot. */
    public SendResult send(Prepared prepared) {
        if (prepared.refused() != null) {
            return prepared.refused();
        }
        try {
            String messageId = prepared.email != null ? ses.sendEmail(prepared.email).messageId()
                    : ses.sendRawEmail(prepared.raw).messageId();
            return SendResult.sent(ProviderName.SES, messageId, null);
        } catch (AwsServiceException e) {
            return serviceError(e);
        } catch (ApiCallTimeoutException | ApiCallAttemptTimeoutException e) {
            return failed(SendResult.Failure.TIMEOUT, "Amazon SES did not answer in time (the message may have been"
                    + " accepted): " + e.getMessage(), true);
        } catch (AbortedException e) {
            return failed(SendResult.Failure.TIMEOUT, "the call to Amazon SES was interrupted (the message may have"
                    + " been accepted): " + e.getMessage(), true);
        } catch (SdkClientException e) {
            rethrowMissedSlot(e);
            return failed(certainlyNotAccepted(e) ? SendResult.Failure.UNAVAILABLE : SendResult.Failure.TIMEOUT,
                    "could not reach Amazon SES: " + e.getMessage(), true);
        } catch (SdkException e) {
            rethrowMissedSlot(e);
            return failed(SendResult.Failure.TIMEOUT, "Amazon SES call failed (the message may have been accepted): "
                    + e.getMessage(), true);
        }
    }

    /** Why SES must not be asked to send this message from {@code verifiedDomain} (checked before any call), if so. */
    public java.util.Optional<String> invalid(EmailMessage message, String verifiedDomain) {
        try {
            MessageHeaders.Encoded encoded = MessageHeaders.encode(message, unsubscribeLinks);
            requireDomain(encoded.fromAddress(), verifiedDomain);
            return java.util.Optional.empty();
        } catch (MessageHeaders.InvalidMessageException e) {
            return java.util.Optional.of(e.getMessage());
        }
    }

    /** An attempt found it was too late for its rate-limit slot and did not go out: the caller takes a new slot. */
    private static void rethrowMissedSlot(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof RateSlot.Missed missed) {
                throw missed;
            }
        }
    }

    /** Throws unless {@code fromAddress}'s domain is {@code verifiedDomain} or one of its subdomains. */
    static void requireDomain(String fromAddress, String verifiedDomain) {
        if (verifiedDomain == null || verifiedDomain.isBlank()) {
            throw new MessageHeaders.InvalidMessageException("no verified domain given for the sender");
        }
        String verified;
        try {
            verified = MessageHeaders.asciiDomain(verifiedDomain);
        } catch (IllegalArgumentException e) {
            throw new MessageHeaders.InvalidMessageException("the verified domain is not a valid domain name");
        }
        String domain = MessageHeaders.asciiDomain(fromAddress.substring(fromAddress.lastIndexOf('@') + 1));
        if (!domain.equals(verified) && !domain.endsWith("." + verified)) {
            throw new MessageHeaders.InvalidMessageException("sender domain does not match the verified domain: "
                    + domain + " is not " + verified + " or one of its subdomains");
        }
    }

    private SendEmailRequest emailRequest(EmailMessage message, MessageHeaders.Encoded e, String configSet) {
        Body.Builder body = Body.builder();
        if (message.html() != null) {
            body.html(content(message.html()));
        }
        if (message.text() != null) {
            body.text(content(message.text()));
        }
        SendEmailRequest.Builder request = SendEmailRequest.builder()
                .source(e.from())
                .destination(d -> d.toAddresses(e.to()))
                .message(m -> m.subject(content(e.subject())).body(body.build()))
                .configurationSetName(configSet);
        if (!e.replyTo().isEmpty()) {
            request.replyToAddresses(e.replyTo());
        }
        List<MessageTag> tags = tags(e);
        if (!tags.isEmpty()) {
            request.tags(tags);
        }
        return request.build();
    }

    private SendRawEmailRequest rawRequest(EmailMessage message, MessageHeaders.Encoded e, String configSet)
            throws MessagingException, IOException {
        SdkBytes raw = SdkBytes.fromByteArrayUnsafe(mime(message, e));
        SendRawEmailRequest.Builder request = SendRawEmailRequest.builder()
                .source(e.from())
                .destinations(e.toAddress())
                .rawMessage(r -> r.data(raw))
                .configurationSetName(configSet);
        List<MessageTag> tags = tags(e);
        if (!tags.isEmpty()) {
            request.tags(tags);
        }
        return request.build();
    }

    /** The message as MIME: the encoded header fields, the extra headers, text and/or HTML in UTF-8. */
    static byte[] mime(EmailMessage message, MessageHeaders.Encoded e) throws MessagingException, IOException {
        MimeMessage mime = new MimeMessage(MimeSession.get());
        mime.setHeader("From", e.from());
        mime.setHeader("To", e.to());
        if (!e.replyTo().isEmpty()) {
            mime.setHeader("Reply-To", String.join(", ", e.replyTo()));
        }
        mime.setSubject(e.subject(), CHARSET);
        for (var h : e.headers().entrySet()) {
            mime.addHeader(h.getKey(), headerValue(h.getKey(), h.getValue()));
        }
        if (message.html() != null && message.text() != null) {
            MimeMultipart alternative = new MimeMultipart("alternative");
            MimeBodyPart text = new MimeBodyPart();
            text.setText(message.text(), CHARSET, "plain");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(message.html(), CHARSET, "html");
            alternative.addBodyPart(text);
            alternative.addBodyPart(html);
            mime.setContent(alternative);
        } else if (message.html() != null) {
            mime.setText(message.html(), CHARSET, "html");
        } else {
            mime.setText(message.text(), CHARSET, "plain");
        }
        mime.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mime.writeTo(out);
        return out.toByteArray();
    }

    /** An extra header's value, RFC 2047-encoded when not ASCII and folded to the line limit. */
    private static String headerValue(String name, String value) throws UnsupportedEncodingException {
        return MimeUtility.fold(name.length() + 2, MimeUtility.encodeText(value, CHARSET, null));
    }

    private static List<MessageTag> tags(MessageHeaders.Encoded e) {
        return e.tags().entrySet().stream()
                .map(t -> MessageTag.builder().name(t.getKey()).value(t.getValue()).build())
                .toList();
    }

    private static Content content(String data) {
        return Content.builder().data(data).charset(CHARSET).build();
    }

    private static SendResult serviceError(AwsServiceException e) {
        String code = e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : null;
        String detail = e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? e.awsErrorDetails().errorMessage() : e.getMessage();
        int status = e.statusCode();
        boolean throttled = status == 429 || e.isThrottlingException()
                || (code != null && THROTTLING_CODES.contains(code));
        String what = code != null ? code : "HTTP " + status;
        String error = "Amazon SES " + what + ": " + detail;
        if (throttled) {
            return failed(SendResult.Failure.THROTTLED, error, true);
        }
        return status >= 500 ? failed(SendResult.Failure.UNAVAILABLE, error, true)
                : failed(SendResult.Failure.REJECTED, error, false);
    }

    private static SendResult failed(SendResult.Failure failure, String error, boolean retryable) {
        return SendResult.failed(ProviderName.SES, failure, error, retryable, null);
    }

    @Override
    public String toString() {
        return "SesEmailSender";
    }
}
