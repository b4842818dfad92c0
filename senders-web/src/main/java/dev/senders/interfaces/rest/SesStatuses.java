package dev.senders.interfaces.rest;

import dev.senders.domain.model.DkimStatus;

/** SES's spelling of a stored DKIM status, for display beside the records SES checks. */
final class SesStatuses {

    private SesStatuses() {
    }

    static String dkim(DkimStatus status) {
        return switch (status) {
            case SUCCESS -> "Success";
            case PENDING -> "Pending";
            case FAILED -> "Failed";
            case TEMPORARY_FAILURE -> "TemporaryFailure";
            case NOT_STARTED -> "NotStarted";
        };
    }
}
