package dev.senders.benchapp;

import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.model.Body;
import software.amazon.awssdk.services.ses.model.Content;
import software.amazon.awssdk.services.ses.model.Destination;
import software.amazon.awssdk.services.ses.model.Message;
import software.amazon.awssdk.services.ses.model.MessageTag;
import software.amazon.awssdk.services.ses.model.SendEmailRequest;

/** The bare legs' call: the bench's message as one {@code SendEmail}, with the tags the module's sends carry. */
final class BareSend {

    private BareSend() {
    }

    /** Sends it; SES's message id. */
    static String send(SesClient ses, String organizationId, String from, String to, String run) {
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
