package dev.senders.domain.model;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/** A sender address of one organization, and the state of its domain's SES identity. */
@Entity
@Table(name = "senders")
@NamedQuery(name = Sender.BY_ORGANIZATION,
        query = "select s from Sender s where s.organizationId = :org and s.deletedAt is null"
                + " order by s.createdAt desc, s.id desc")
@NamedQuery(name = Sender.COUNT_BY_ORGANIZATION,
        query = "select count(s) from Sender s where s.organizationId = :org and s.deletedAt is null")
@NamedQuery(name = Sender.DELETED_BY_ORGANIZATION,
        query = "select s from Sender s where s.organizationId = :org and s.deletedAt is not null"
                + " order by s.deletedAt desc, s.id desc")
@NamedQuery(name = Sender.BY_ID_AND_ORGANIZATION,
        query = "select s from Sender s where s.id = :id and s.organizationId = :org")
public class Sender {

    public static final String BY_ORGANIZATION = "Sender.byOrganization";
    public static final String COUNT_BY_ORGANIZATION = "Sender.countByOrganization";
    public static final String BY_ID_AND_ORGANIZATION = "Sender.byIdAndOrganization";
    public static final String DELETED_BY_ORGANIZATION = "Sender.deletedByOrganization";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "organization_id", nullable = false, updatable = false)
    private String organizationId;

    @Column(name = "email_address", nullable = false, updatable = false)
    private String emailAddress;

    @Column(name = "domain", nullable = false, updatable = false)
    private String domain;

    @Convert(converter = VerificationStatusConverter.class)
    @Column(name = "verification_status", nullable = false)
    private VerificationStatus verificationStatus = VerificationStatus.PENDING;

    @Column(name = "verification_token")
    private String verificationToken;

    @Convert(converter = JsonStringListConverter.class)
    @Column(name = "dkim_tokens")
    private List<String> dkimTokens;

    @Convert(converter = DkimStatusConverter.class)
    @Column(name = "dkim_status", nullable = false)
    private DkimStatus dkimStatus = DkimStatus.NOT_STARTED;

    @Column(name = "is_default", nullable = false)
    private boolean defaultSender;

    @Column(name = "last_verified_at")
    private OffsetDateTime lastVerifiedAt;

    @Column(name = "verification_error")
    private String verificationError;

    @Column(name = "configuration_set_name")
    private String configurationSetName;

    @Column(name = "ownership_token")
    private String ownershipToken;

    @Column(name = "ownership_required", nullable = false)
    private boolean ownershipRequired;

    @Column(name = "ownership_verified_at")
    private OffsetDateTime ownershipVerifiedAt;

    @Column(name = "mail_from_domain")
    private String mailFromDomain;

    @Column(name = "mail_from_status")
    private String mailFromStatus;

    @Column(name = "ses_domain_status")
    private String sesDomainStatus;

    @Column(name = "verify_requested_at")
    private OffsetDateTime verifyRequestedAt;

    @Column(name = "deleted_at")
    private OffsetDateTime deletedAt;

    @Column(name = "default_when_deleted", nullable = false)
    private boolean defaultWhenDeleted;

    @Column(name = "created_at", nullable = false, updatable = false)
    private OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    private OffsetDateTime updatedAt;

    protected Sender() {
        // for JPA
    }

    public Sender(String organizationId, String emailAddress, String domain) {
        this.organizationId = Objects.requireNonNull(organizationId);
        this.emailAddress = Objects.requireNonNull(emailAddress);
        this.domain = Objects.requireNonNull(domain);
    }

    @PrePersist
    void onCreate() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        createdAt = now;
        updatedAt = now;
    }

    @PreUpdate
    void onUpdate() {
        updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
    }

    /**
     * Fully verified: the domain is verified, DKIM succeeded (and ownership was proven where required; see
     * {@link VerificationOutcome}). Only then may it send through SES.
     */
    public boolean isFullyVerified() {
        return verificationStatus == VerificationStatus.VERIFIED && dkimStatus == DkimStatus.SUCCESS;
    }

    /**
     * Whether this organization may change the domain's custom MAIL FROM, a setting of the SES identity that every
     * organization on the domain shares: only when it is fully verified and proved it owns the domain.
     */
    public boolean mayChangeMailFrom() {
        return isFullyVerified() && ownershipVerifiedAt != null;
    }

    /** Deleted: hidden and not used to send, restorable until the retention job deletes it for good. */
    public boolean isDeleted() {
        return deletedAt != null;
    }

    /** Hides the sender and stops its use at once (it is no longer the default). */
    public void markDeleted(OffsetDateTime at) {
        defaultWhenDeleted = defaultSender;
        defaultSender = false;
        deletedAt = at;
    }

    /** Brings a deleted sender back; true when it was the default when deleted (the caller decides whether again). */
    public boolean restore() {
        deletedAt = null;
        boolean wasDefault = defaultWhenDeleted;
        defaultWhenDeleted = false;
        return wasDefault;
    }

    /** Applies a verification outcome checked at {@code at}; true when the status changed. */
    public boolean apply(VerificationOutcome outcome, OffsetDateTime at) {
        boolean changed = outcome.status() != verificationStatus || outcome.dkimStatus() != dkimStatus;
        verificationStatus = outcome.status();
        dkimStatus = outcome.dkimStatus();
        verificationError = outcome.reason();
        sesDomainStatus = outcome.sesDomainStatus();
        lastVerifiedAt = at;
        if (verificationStatus != VerificationStatus.VERIFIED) {
            defaultSender = false;
        }
        return changed;
    }

    public Long getId() { return id; }
    public String getOrganizationId() { return organizationId; }
    public String getEmailAddress() { return emailAddress; }
    public String getDomain() { return domain; }
    public VerificationStatus getVerificationStatus() { return verificationStatus; }
    public void setVerificationStatus(VerificationStatus status) { this.verificationStatus = status; }
    public String getVerificationToken() { return verificationToken; }
    public void setVerificationToken(String token) { this.verificationToken = token; }
    public List<String> getDkimTokens() { return dkimTokens; }
    public void setDkimTokens(List<String> tokens) { this.dkimTokens = tokens == null ? null : List.copyOf(tokens); }
    public DkimStatus getDkimStatus() { return dkimStatus; }
    public void setDkimStatus(DkimStatus status) { this.dkimStatus = status; }
    public boolean isDefaultSender() { return defaultSender; }
    public void setDefaultSender(boolean value) { this.defaultSender = value; }
    public OffsetDateTime getLastVerifiedAt() { return lastVerifiedAt; }
    public void setLastVerifiedAt(OffsetDateTime at) { this.lastVerifiedAt = at; }
    public String getVerificationError() { return verificationError; }
    public void setVerificationError(String error) { this.verificationError = error; }
    public String getConfigurationSetName() { return configurationSetName; }
    public void setConfigurationSetName(String name) { this.configurationSetName = name; }
    public String getOwnershipToken() { return ownershipToken; }
    public void setOwnershipToken(String token) { this.ownershipToken = token; }
    public boolean isOwnershipRequired() { return ownershipRequired; }
    public void setOwnershipRequired(boolean required) { this.ownershipRequired = required; }
    public OffsetDateTime getOwnershipVerifiedAt() { return ownershipVerifiedAt; }
    public void setOwnershipVerifiedAt(OffsetDateTime at) { this.ownershipVerifiedAt = at; }
    public OffsetDateTime getVerifyRequestedAt() { return verifyRequestedAt; }
    public String getSesDomainStatus() { return sesDomainStatus; }
    public String getMailFromDomain() { return mailFromDomain; }
    public void setMailFromDomain(String domain) { this.mailFromDomain = domain; }
    /** SES's MailFromDomainStatus: Pending, Success, Failed, TemporaryFailure; null when none is set. */
    public String getMailFromStatus() { return mailFromStatus; }
    public void setMailFromStatus(String status) { this.mailFromStatus = status; }
    public void setSesDomainStatus(String status) { this.sesDomainStatus = status; }
    public OffsetDateTime getDeletedAt() { return deletedAt; }
    public OffsetDateTime getCreatedAt() { return createdAt; }
    public OffsetDateTime getUpdatedAt() { return updatedAt; }
}
