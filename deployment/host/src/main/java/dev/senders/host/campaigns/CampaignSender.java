package dev.senders.host.campaigns;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.EmailProvider;
import dev.senders.api.sending.EmailProviderFactory;
import dev.senders.api.sending.SendResult;
import dev.senders.host.persistence.HostDatabase;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends the campaigns that are 'sending', in the background, through the Senders module.
 *
 * <p>A worker claims a batch of due items with one atomic statement ({@code FOR UPDATE SKIP LOCKED}, so any number
 * of workers on any number of instances never share an item), sends each with the idempotency key
 * {@code campaign-item-<id>}, and records the outcome. A claim older than the lease is taken over: that is an item
 * whose worker died mid-send, and the idempotency key keeps it from going out twice. A retryable failure waits with
 * exponential backoff, up to {@code host.campaigns.max-attempts}. When nothing is left the campaign is 'sent'.
 *
 * <p>The provider is asked of the Senders module for every item, so a change of the organization's senders during
 * the campaign (the default removed, say: epic V3.12) applies to the remaining items, which then fall back to
 * Resend from the platform's domain; the module's warning is kept on each item.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.NOT_SUPPORTED)
public class CampaignSender {

    private static final Logger LOG = Logger.getLogger(CampaignSender.class.getName());

    /** This instance, in claims (for people reading the table). */
    private static final String INSTANCE = UUID.randomUUID().toString().substring(0, 8);

    private static final String CLAIM = "update campaign_items i"
            + " set status = 'sending', claimed_by = ?, claimed_at = now(), attempts = i.attempts + 1"
            + " where i.id in (select id from campaign_items"
            + "     where campaign_id = ?"
            + "       and ((status = 'queued' and (next_attempt_at is null or next_attempt_at <= now()))"
            + "         or (status = 'sending' and claimed_at < now() - make_interval(secs => ?)))"
            + "     order by id limit ? for update skip locked)"
            + "   and exists (select 1 from campaigns c where c.id = i.campaign_id and c.status = 'sending')"
            + " returning i.id, i.recipient, i.attempts";

    @Resource(lookup = HostDatabase.JNDI_NAME)
    DataSource dataSource;

    @Resource
    ManagedExecutorService executor;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    EmailProviderFactory providers;

    @Inject
    @ConfigProperty(name = "host.campaigns.batch-size", defaultValue = "10")
    int batchSize;

    /** How long a claim holds; far longer than a batch takes even at Resend's 2 requests per second. */
    @Inject
    @ConfigProperty(name = "host.campaigns.lease", defaultValue = "PT5M")
    Duration lease;

    @Inject
    @ConfigProperty(name = "host.campaigns.max-attempts", defaultValue = "5")
    int maxAttempts;

    @Inject
    @ConfigProperty(name = "host.campaigns.retry-backoff", defaultValue = "PT2S")
    Duration retryBackoff;

    /** Campaigns with a worker on this instance: one is enough here (other instances may add theirs). */
    private final Set<Long> running = ConcurrentHashMap.newKeySet();

    private record Claimed(long id, String recipient, int attempts) {
    }

    private record Content(long id, String organizationId, String senderEmail, String senderName, String subject,
                           String html, String status) {
    }

    /** Sends the campaign in the background (no-op if this instance is sending it already). */
    public void submit(long campaignId) {
        if (running.contains(campaignId)) {
            return;
        }
        try {
            executor.submit(() -> run(campaignId));
        } catch (RejectedExecutionException e) {
            LOG.log(Level.WARNING, "Campaign " + campaignId + " could not be queued now; the resume job will", e);
        }
    }

    /** Starts a worker for each campaign left 'sending' that this instance is not already sending. */
    public void resumeAll() {
        List<Long> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             var q = c.prepareStatement("select id from campaigns where status = 'sending' order by id")) {
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "Could not look for campaigns to resume", e);
            return;
        }
        ids.forEach(this::submit);
    }

    void run(long campaignId) {
        if (!running.add(campaignId)) {
            return;
        }
        try {
            String token = INSTANCE + ":" + UUID.randomUUID();
            while (true) {
                Content campaign = content(campaignId);
                if (campaign == null || !"sending".equals(campaign.status())) {
                    return;
                }
                List<Claimed> batch;
                while (!(batch = claim(campaignId, token)).isEmpty()) {
                    for (Claimed item : batch) {
                        send(campaign, item, token);
                    }
                }
                if (!finishOrWait(campaignId)) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Sending campaign " + campaignId + " stopped; the resume job will carry on", e);
        } finally {
            running.remove(campaignId);
        }
    }

    private List<Claimed> claim(long campaignId, String token) {
        List<Claimed> claimed = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); var q = c.prepareStatement(CLAIM)) {
            q.setString(1, token);
            q.setLong(2, campaignId);
            q.setLong(3, Math.max(1, lease.toSeconds()));
            q.setInt(4, Math.max(1, batchSize));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    claimed.add(new Claimed(rs.getLong(1), rs.getString(2), rs.getInt(3)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not claim items of campaign " + campaignId, e);
        }
        claimed.sort(java.util.Comparator.comparingLong(Claimed::id));
        return claimed;
    }

    private void send(Content campaign, Claimed item, String token) {
        if (item.attempts() > maxAttempts) {
            // claimed again and again without an outcome (its worker died each time): give up on it
            record(item, token, "failed", null, null, "Gave up after " + maxAttempts + " attempts", null, null);
            return;
        }
        EmailMessage message;
        try {
            message = EmailMessage.builder()
                    .to(item.recipient())
                    .from(campaign.senderEmail())
                    .fromName(campaign.senderName())
                    .subject(campaign.subject())
                    .html(campaign.html())
                    .organizationId(campaign.organizationId())
                    .campaignId(String.valueOf(campaign.id()))
                    .idempotencyKey("campaign-item-" + item.id())
                    .build();
        } catch (RuntimeException e) {
            record(item, token, "failed", null, null, "Invalid message: " + e.getMessage(), null, null);
            return;
        }
        SendResult result;
        String providerName = null;
        try {
            // asked per item: the organization's senders may change during the campaign (V3.12)
            EmailProvider provider = providers.providerFor(campaign.organizationId(), campaign.senderEmail());
            providerName = provider.providerName().wire();
            result = provider.send(message);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Sending item " + item.id() + " threw; it will be retried", e);
            retryOrFail(item, token, providerName, "Sending failed: " + e, null);
            return;
        }
        String used = result.provider() == null ? providerName : result.provider().wire();
        switch (result.status()) {
            case SENT -> record(item, token, "sent", used, result.messageId(), null, result.warning(), null);
            case SUPPRESSED -> record(item, token, "suppressed", used, null, result.error(), result.warning(), null);
            case FAILED -> {
                if (result.retryable()) {
                    retryOrFail(item, token, used, result.error(), result.warning());
                } else {
                    record(item, token, "failed", used, null, result.error(), result.warning(), null);
                }
            }
        }
    }

    private void retryOrFail(Claimed item, String token, String provider, String error, String warning) {
        if (item.attempts() >= maxAttempts) {
            record(item, token, "failed", provider, null, error + " (gave up after " + item.attempts() + " attempts)",
                    warning, null);
            return;
        }
        // 2 s, 4 s, 8 s, ... (capped at 10 minutes), with a little jitter so that retries do not bunch up
        long base = retryBackoff.toMillis() << Math.min(item.attempts() - 1, 20);
        long millis = Math.min(base, Duration.ofMinutes(10).toMillis());
        millis += (long) (millis * 0.2 * Math.random());
        record(item, token, "queued", provider, null, error, warning, millis / 1000.0);
    }

    /** Records an outcome, unless the item was taken over by another worker meanwhile (its outcome counts). */
    private void record(Claimed item, String token, String status, String provider, String messageId, String error,
                        String warning, Double retryInSeconds) {
        String sql = "update campaign_items set status = ?, provider_used = coalesce(?, provider_used),"
                + " message_id = ?, error = ?, warning = ?,"
                + " sent_at = case when ? = 'sent' then now() else sent_at end,"
                + " next_attempt_at = case when ? then now() + make_interval(secs => ?) else null end,"
                + " claimed_by = null, claimed_at = null"
                + " where id = ? and status = 'sending' and claimed_by = ?";
        try (Connection c = dataSource.getConnection(); var update = c.prepareStatement(sql)) {
            update.setString(1, status);
            update.setString(2, provider);
            update.setString(3, messageId);
            update.setString(4, truncate(error));
            update.setString(5, truncate(warning));
            update.setString(6, status);
            update.setBoolean(7, retryInSeconds != null);
            update.setDouble(8, retryInSeconds == null ? 0 : retryInSeconds);
            update.setLong(9, item.id());
            update.setString(10, token);
            if (update.executeUpdate() == 0) {
                LOG.info("Campaign item " + item.id() + " was taken over by another worker; its outcome stands");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not record the outcome of campaign item " + item.id(), e);
        }
    }

    /**
     * After the due items are done: marks the campaign 'sent' when no item is left, or plans the next run when
     * items wait for a retry. Items in flight elsewhere are left to their worker (or to the resume job once their
     * lease ends). Returns true when items are due right now.
     */
    private boolean finishOrWait(long campaignId) {
        try (Connection c = dataSource.getConnection()) {
            int queued;
            int sending;
            double dueInSeconds;
            try (var q = c.prepareStatement("select count(*) filter (where status = 'queued'),"
                    + " count(*) filter (where status = 'sending'),"
                    + " coalesce(extract(epoch from min(coalesce(next_attempt_at, now())) filter (where status = 'queued')"
                    + "     - now()), 0)"
                    + " from campaign_items where campaign_id = ?")) {
                q.setLong(1, campaignId);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    queued = rs.getInt(1);
                    sending = rs.getInt(2);
                    dueInSeconds = rs.getDouble(3);
                }
            }
            if (queued == 0 && sending == 0) {
                try (var done = c.prepareStatement("update campaigns set status = 'sent', completed_at = now()"
                        + " where id = ? and status = 'sending' and not exists (select 1 from campaign_items"
                        + " where campaign_id = ? and status in ('queued', 'sending'))")) {
                    done.setLong(1, campaignId);
                    done.setLong(2, campaignId);
                    if (done.executeUpdate() == 1) {
                        LOG.info("Campaign " + campaignId + " is sent");
                    }
                }
                return false;
            }
            if (queued > 0) {
                if (dueInSeconds <= 0) {
                    return true;
                }
                long delay = (long) Math.ceil(dueInSeconds * 1000) + 50;
                scheduler.schedule(() -> submit(campaignId), delay, TimeUnit.MILLISECONDS);
            }
            return false;
        } catch (SQLException e) {
            throw new IllegalStateException("could not check campaign " + campaignId, e);
        }
    }

    private Content content(long campaignId) {
        try (Connection c = dataSource.getConnection(); var q = c.prepareStatement("select id, organization_id,"
                + " sender_email, sender_name, subject, html, status from campaigns where id = ?")) {
            q.setLong(1, campaignId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? new Content(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7)) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read campaign " + campaignId, e);
        }
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 2000);
    }
}
