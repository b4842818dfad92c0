package dev.senders.domain.model;

/**
 * What SES's statuses mean for a sender. A sender is {@link VerificationStatus#VERIFIED} only when it is fully
 * verified: the domain identity succeeded, DKIM succeeded, and, where another organization shares the domain, this
 * organization's ownership record was found. Anything short of that says, in {@code reason}, what is still missing.
 *
 * @param status     our status
 * @param dkimStatus the DKIM status
 * @param reason     the human reason when not verified, else null
 * @param sesDomainStatus SES's own status of the domain identity, or null when SES has none
 */
public record VerificationOutcome(VerificationStatus status, DkimStatus dkimStatus, String reason,
                                  String sesDomainStatus) {

    /**
     * @param domain           the sender's domain
     * @param sesDomainStatus  SES VerificationStatus (Pending, Success, Failed, TemporaryFailure, NotStarted), or
     *                         null when SES has no such identity
     * @param sesDkimStatus    SES DkimVerificationStatus, or null
     * @param ownershipPending whether this organization must still publish its ownership record
     */
    public static VerificationOutcome of(String domain, String sesDomainStatus, String sesDkimStatus,
                                         boolean ownershipPending) {
        DkimStatus dkim = dkim(sesDkimStatus);
        if (sesDomainStatus == null) {
            return new VerificationOutcome(VerificationStatus.FAILED, dkim,
                    "Amazon SES no longer has an identity for " + domain + "; restart verification", sesDomainStatus);
        }
        switch (sesDomainStatus) {
            case "Failed":
                return new VerificationOutcome(VerificationStatus.FAILED, dkim, "Amazon SES stopped waiting for the"
                        + " TXT record _amazonses." + domain + " after 72 hours; check the record and restart"
                        + " verification", sesDomainStatus);
            case "TemporaryFailure":
                return new VerificationOutcome(VerificationStatus.VERIFYING, dkim, "Amazon SES could not check the"
                        + " records of " + domain + " for a moment and will try again", sesDomainStatus);
            case "Success":
                break;
            default:
                return new VerificationOutcome(dkim == DkimStatus.SUCCESS ? VerificationStatus.VERIFYING
                        : VerificationStatus.PENDING, dkim, "Amazon SES has not found the TXT record _amazonses."
                        + domain + " yet; DNS changes can take up to 72 hours", sesDomainStatus);
        }
        return switch (dkim) {
            case SUCCESS -> ownershipPending
                    ? new VerificationOutcome(VerificationStatus.VERIFYING, dkim, "Another organization also uses "
                    + domain + "; publish this organization's TXT record _senders-verification." + domain, sesDomainStatus)
                    : new VerificationOutcome(VerificationStatus.VERIFIED, dkim, null, sesDomainStatus);
            case FAILED -> new VerificationOutcome(VerificationStatus.FAILED, dkim, "DKIM failed: Amazon SES did not"
                    + " find the 3 CNAME records of " + domain + " within 72 hours; check them and restart"
                    + " verification", sesDomainStatus);
            case TEMPORARY_FAILURE -> new VerificationOutcome(VerificationStatus.VERIFYING, dkim, "Domain verified;"
                    + " Amazon SES could not check the DKIM records for a moment and will try again", sesDomainStatus);
            default -> new VerificationOutcome(VerificationStatus.VERIFYING, dkim, "Domain verified; waiting for"
                    + " DKIM: Amazon SES has not found the 3 CNAME records yet", sesDomainStatus);
        };
    }

    public static DkimStatus dkim(String sesDkimStatus) {
        if (sesDkimStatus == null) {
            return DkimStatus.NOT_STARTED;
        }
        return switch (sesDkimStatus) {
            case "Success" -> DkimStatus.SUCCESS;
            case "Pending" -> DkimStatus.PENDING;
            case "Failed" -> DkimStatus.FAILED;
            case "TemporaryFailure" -> DkimStatus.TEMPORARY_FAILURE;
            default -> DkimStatus.NOT_STARTED;
        };
    }

    public boolean fullyVerified() {
        return status == VerificationStatus.VERIFIED;
    }
}
