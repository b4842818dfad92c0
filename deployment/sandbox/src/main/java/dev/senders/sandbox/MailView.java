package dev.senders.sandbox;

import java.time.Instant;
import java.util.List;

/** What the mail viewer shows of one accepted message, whichever stub accepted it. */
record MailView(String id, Instant time, String from, List<String> to, List<String> cc, List<String> bcc,
                List<String> replyTo, String subject, String html, String text, String details) {
}
