package dev.senders.application.events;

import dev.senders.application.events.SesNotification.SesEvent;

import java.util.List;

/**
 * An SNS notification as {@link SesEventRecorder} stored it.
 *
 * @param fresh          false when its MessageId had been recorded before (then nothing was stored)
 * @param sesMessageId   the SES message id it reports on, or null
 * @param organizationId the organization of the module's own record of that message; null when it is not ours
 * @param campaignId     that record's campaign, or null
 * @param events         its events, with the recipients they were recorded with
 */
public record StoredNotification(boolean fresh, String sesMessageId, String organizationId, String campaignId,
                                 List<SesEvent> events) {
}
