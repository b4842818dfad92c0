package dev.senders.host.campaigns;

import dev.senders.api.spi.SenderUsageCheck;
import dev.senders.host.persistence.HostDatabase;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.Optional;

/** The host tells the Senders module when a sender address is used by a campaign that is still sending. */
@ApplicationScoped
public class ActiveCampaignSenderCheck implements SenderUsageCheck {

    @Resource(lookup = HostDatabase.JNDI_NAME)
    DataSource dataSource;

    @Override
    public Optional<String> activeUse(String organizationId, String emailAddress) {
        try (var c = dataSource.getConnection();
             var q = c.prepareStatement("select name from campaigns where organization_id = ?"
                     + " and lower(sender_email) = lower(?) and status = 'sending' order by id limit 1")) {
            q.setString(1, organizationId);
            q.setString(2, emailAddress);
            try (var rs = q.executeQuery()) {
                return rs.next()
                        ? Optional.of("Campaign \"" + rs.getString(1) + "\" is still sending from this address")
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("campaign lookup failed", e);
        }
    }
}
