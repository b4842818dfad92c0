package dev.senders.application.events;

import dev.senders.api.events.SenderVerified;
import dev.senders.application.sending.SendersChanged;
import dev.senders.infrastructure.sns.ConfigurationSetNames;
import dev.senders.infrastructure.sns.SesConfigurationSets;
import dev.senders.infrastructure.sns.SnsSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Gives each organization an SES configuration set that publishes its messages' events to the webhook's SNS topic
 * ({@code senders.sns.event-topic-arn}; without it, nothing is done).
 *
 * <p>When a sender becomes verified (after the commit, in the background ({@link ConfigurationSetJobs}), so verifying
 * never waits for SES), the organization's set is ensured: created in SES, with its SNS event destination, when no
 * sender of the organization carries its name yet (its first verified domain), then its name is stored on the
 * organization's senders that have none, and the send routing is told. Every step is idempotent (SES's "already
 * exists" counts as done, the update only fills empty names), so a retry, a second instance or two verifications at
 * once make no duplicate. A failure is retried; an hourly repair catches anything left over.
 */
@ApplicationScoped
public class ConfigurationSetProvisioning {

    private static final Logger LOG = Logger.getLogger(ConfigurationSetProvisioning.class.getName());

    @Inject
    SnsSettings settings;

    @Inject
    SesConfigurationSets sets;

    @Inject
    ConfigurationSetAssignments assignments;

    @Inject
    Event<SendersChanged> changes;

    @Inject
    ConfigurationSetJobs jobs;

    /** Organizations being provisioned on this instance. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    void senderVerified(@Observes(during = TransactionPhase.AFTER_SUCCESS) SenderVerified event) {
        if (settings.eventTopicArn().isPresent() && inFlight.add(event.organizationId())) {
            try {
                jobs.provision(event.organizationId());
            } catch (RuntimeException e) {
                inFlight.remove(event.organizationId());
                LOG.log(Level.WARNING, "Senders: configuration set of " + event.organizationId() + " not scheduled;"
                        + " the hourly repair will create it", e);
            }
        }
    }

    /** The background provisioning of the organization ended (done or given up). */
    public void done(String organizationId) {
        inFlight.remove(organizationId);
    }

    /**
     * Ensures the organization's configuration set and its name on the organization's senders.
     *
     * @return the set's name, or empty when {@code senders.sns.event-topic-arn} is not configured
     * @throws RuntimeException when SES or the database fails (nothing half-done needs undoing: call it again)
     */
    public Optional<String> ensure(String organizationId) {
        Optional<String> topic = settings.eventTopicArn();
        if (topic.isEmpty()) {
            return Optional.empty();
        }
        String name = ConfigurationSetNames.forOrganization(organizationId);
        if (!assignments.anyCarries(organizationId, name)) {
            sets.ensure(name, topic.get());
        }
        if (assignments.assign(organizationId, name) > 0) {
            changes.fire(new SendersChanged(organizationId));
        }
        return Optional.of(name);
    }

    /** Ensures the sets of organizations whose verified senders have none; returns how many were repaired. */
    public int repair() {
        if (settings.eventTopicArn().isEmpty()) {
            return 0;
        }
        int repaired = 0;
        for (String organizationId : assignments.organizationsMissingOne(100)) {
            if (!inFlight.add(organizationId)) {
                continue;
            }
            try {
                ensure(organizationId);
                repaired++;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Senders: configuration set of " + organizationId + " still not created", e);
            } finally {
                inFlight.remove(organizationId);
            }
        }
        return repaired;
    }
}
