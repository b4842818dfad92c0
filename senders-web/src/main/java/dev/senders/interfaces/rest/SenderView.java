package dev.senders.interfaces.rest;

import dev.senders.domain.model.Sender;
import jakarta.json.bind.annotation.JsonbNillable;

import java.net.IDN;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A sender as the API shows it. The domain is in A-labels; {@code domainUnicode} is its readable form, and
 * {@code emailAddressUnicode} the address with that form (both equal to the ASCII ones for an ASCII domain).
 * {@code mailFromEditable}: whether this organization may change the domain's custom MAIL FROM (shared by every
 * organization on the domain; only one that proved ownership may change it).
 */
@JsonbNillable
public record SenderView(long id, String emailAddress, String emailAddressUnicode, String domain, String domainUnicode,
                         String verificationStatus, String dkimStatus, boolean isDefault, boolean isFullyVerified,
                         boolean ownershipRequired, String mailFromDomain, String mailFromStatus,
                         boolean mailFromEditable,
                         OffsetDateTime lastVerifiedAt, String verificationError, String configurationSetName,
                         OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime deletedAt,
                         OffsetDateTime restorableUntil) {

    public static SenderView of(Sender s) {
        return of(s, null);
    }

    /** @param restorableUntil until when a deleted sender can be restored (null when not deleted) */
    public static SenderView of(Sender s, OffsetDateTime restorableUntil) {
        String domainUnicode = IDN.toUnicode(s.getDomain());
        String email = s.getEmailAddress();
        int at = email.lastIndexOf('@');
        String emailUnicode = at < 0 ? email : email.substring(0, at + 1) + domainUnicode;
        return new SenderView(s.getId(), email, emailUnicode, s.getDomain(), domainUnicode,
                s.getVerificationStatus().wire(), s.getDkimStatus().wire(), s.isDefaultSender(), s.isFullyVerified(),
                s.isOwnershipRequired(), s.getMailFromDomain(), s.getMailFromStatus(), s.mayChangeMailFrom(),
                s.getLastVerifiedAt(), s.getVerificationError(), s.getConfigurationSetName(),
                s.getCreatedAt(), s.getUpdatedAt(), s.getDeletedAt(), restorableUntil);
    }

    public record Page(List<SenderView> items, int page, int size, long total) {
    }
}
