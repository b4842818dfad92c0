package dev.senders.benchapp;

import dev.senders.api.sending.EmailMessage;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.model.Body;
import software.amazon.awssdk.services.ses.model.Content;
import software.amazon.awssdk.services.ses.model.Destination;
import software.amazon.awssdk.services.ses.model.Message;
import software.amazon.awssdk.services.ses.model.MessageTag;
import software.amazon.awssdk.services.ses.model.SendEmailRequest;

/**
 * The bench's message, alike on every leg: for the module's legs as an {@link EmailMessage}, for the bare legs as one
 * {@code SendEmail} with the tags the module's sends carry.
 */
final class BenchMessage {

    private BenchMessage() {
    }

    /** The message for the module's legs. */
    static EmailMessage message(String organizationId, String from, String to, String run, String key) {
        return EmailMessage.builder()
                .to(to)
                .from(from)
                .fromName("Newsletter")
                .subject("Hello from the bench")
                .html("<p>Hello</p>")
                .organizationId(organizationId)
                .campaignId(run)
                .idempotencyKey(key)
                .build();
    }

    /** Sends it bare; SES's message id. */
    static String sendBare(SesClient ses, String organizationId, String from, String to, String run) {
        return ses.sendEmail(SendEmailRequest.builder()
                .source("Newsletter <" + from + ">")
                .destination(Destination.builder().toAddresses(to).build())
                .message(Message.builder()
                        .subject(Content.builder().data("Hello from the bench").charset("UTF-8").build())
                        .body(Body.builder().html(Content.builder().data("<p>Hello</p>").charset("UTF-8").build())
                                .build())
                        .build())
                .tags(MessageTag.builder().name("organization").value(organizationId).build(),
                        MessageTag.builder().name("campaign").value(run).build())
                .build()).messageId();
    }
}
