package dev.senders.host.campaigns;

import dev.senders.api.events.OrganizationSendingPaused;
import dev.senders.api.events.OrganizationSendingResumed;
import dev.senders.host.persistence.HostDatabase;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * The reference host's side of the Senders module's reputation guard: a campaign whose items come back
 * {@code PAUSED} is 'paused' (its items wait, queued); when a platform admin resumes the organization
 * ({@link OrganizationSendingResumed}) its paused campaigns carry on. The module's pause and resume events are kept in
 * {@code host_reputation_events}, as a real host would tell the organization's people.
 */
@ApplicationScoped
public class CampaignPauses {

    private static final Logger LOG = Logger.getLogger(CampaignPauses.class.getName());

    @Resource(lookup = HostDatabase.JNDI_NAME)
    DataSource dataSource;

    @Inject
    CampaignSender sender;

    /** The campaign stops taking items until its organization is resumed. */
    void pause(long campaignId) {
        try (var c = dataSource.getConnection(); var update = c.prepareStatement(
                "update campaigns set status = 'paused' where id = ? and status = 'sending'")) {
            update.setLong(1, campaignId);
            if (update.executeUpdate() == 1) {
                LOG.info("Campaign " + campaignId + " is paused: its organization's sending is paused");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not pause campaign " + campaignId, e);
        }
    }

    void paused(@Observes OrganizationSendingPaused event) {
        record("paused", event.organizationId(), event.provider().wire() + " " + event.rate() + " rate "
                + String.format(Locale.ROOT, "%.4f", event.value()), event.pausedAt());
    }

    void resumed(@Observes OrganizationSendingResumed event) {
        record("resumed", event.organizationId(), event.resumedBy() + ": " + event.reason(), event.resumedAt());
        List<Long> campaigns = new ArrayList<>();
        try (var c = dataSource.getConnection(); var update = c.prepareStatement("update campaigns set status ="
                + " 'sending' where organization_id = ? and status = 'paused' returning id")) {
            update.setString(1, event.organizationId());
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    campaigns.add(rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not resume the campaigns of " + event.organizationId(), e);
        }
        campaigns.forEach(sender::submit);
    }

    private void record(String kind, String organizationId, String detail, Instant at) {
        try (var c = dataSource.getConnection(); var insert = c.prepareStatement("insert into host_reputation_events"
                + " (kind, organization_id, detail, occurred_at) values (?, ?, ?, ?)")) {
            insert.setString(1, kind);
            insert.setString(2, organizationId);
            insert.setString(3, detail);
            insert.setTimestamp(4, Timestamp.from(at));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not record the reputation event", e);
        }
    }
}
