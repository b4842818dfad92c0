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
 * <p>A worker claims a chunk of due items ({@code host.campaigns.batch-size}, 100: one Resend request) with one
 * atomic statement ({@code FOR UPDATE SKIP LOCKED}, so any number of workers on any number of instances never share
 * an item), sends them with one {@code sendBatch} call, each with the idempotency key {@code campaign-item-<id>},
 * and records the outcomes in one statement. A claim older than the lease is taken over: that is an item
 * whose worker died mid-send, and the idempotency key keeps it from going out twice. A retryable failure waits with
 * exponential backoff, up to {@code host.campaigns.max-attempts}. When nothing is left the campaign is 'sent'.
 *
 * <p>The provider is asked of the Senders module for every item, so a change of the organization's senders during
 * the campaign (the default removed, say: epic V3.12) applies to the remaining items, which then fall back to
 * Resend from the platform's domain; the module's warning is kept on each item. When the module answers
 * {@code PAUSED} (the organization's sending is paused for its reputation) the item goes back to the queue and the
 * campaign pauses until the organization is resumed ({@link CampaignPauses}).
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
    CampaignPauses pauses;

    @Inject
    @ConfigProperty(name = "host.campaigns.batch-size", defaultValue = "100")
    int batchSize;

    /** How long a claim holds; far longer than a batch takes even at Resend's 2 requests per second. */
    @Inject
    @ConfigProperty(name = "host.campaigns.lease", defaultValue = "PT5M")
    Duration lease;

    @Inject
    @ConfigProperty(name = "host.campaigns.max-attempts", defaultValue = "5")
    int maxAttempts;

    /** Whether campaign emails ask the Senders module for one-click unsubscribe links (it must be configured). */
    @Inject
    @ConfigProperty(name = "host.campaigns.unsubscribe-links", defaultValue = "true")
    boolean unsubscribeLinks;

    @Inject
    @ConfigProperty(name = "host.campaigns.retry-backoff", defaultValue = "PT2S")
    Duration retryBackoff;

    /** Campaigns with a worker on this instance: one is enough here (other instances may add theirs). */
    private final Set<Long> running = ConcurrentHashMap.newKeySet();

    /** An item's outcome when the organization's sending is paused: stored as 'queued', the attempt not counted. */
    private static final String PAUSED = "paused";

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
                List<Claimed> chunk;
                while (!(chunk = claim(campaignId, token)).isEmpty()) {
                    send(campaign, chunk, token);
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

    /** What becomes of one claimed item. */
    private record Outcome(Claimed item, String status, String provider, String messageId, String error,
                           String warning, Double retryInSeconds) {
    }

    /**
     * Sends the claimed items as one batch through the Senders module ({@code EmailProvider.sendBatch}: one claim
     * and one record statement in the module for the whole chunk, one Resend request per 100 emails) and records
     * every outcome in one statement.
     */
    private void send(Content campaign, List<Claimed> items, String token) {
        List<Outcome> outcomes = new ArrayList<>();
        List<Claimed> toSend = new ArrayList<>();
        List<EmailMessage> messages = new ArrayList<>();
        for (Claimed item : items) {
            if (item.attempts() > maxAttempts) {
                // claimed again and again without an outcome (its worker died each time): give up on it
                outcomes.add(new Outcome(item, "failed", null, null, "Gave up after " + maxAttempts + " attempts",
                        null, null));
                continue;
            }
            try {
                EmailMessage.Builder message = EmailMessage.builder()
                        .to(item.recipient())
                        .from(campaign.senderEmail())
                        .fromName(campaign.senderName())
                        .subject(campaign.subject())
                        .html(campaign.html())
                        .organizationId(campaign.organizationId())
                        .campaignId(String.valueOf(campaign.id()))
                        .idempotencyKey("campaign-item-" + item.id());
                if (unsubscribeLinks) {
                    // one-click unsubscribe (RFC 8058), which Gmail, Yahoo and Microsoft require of bulk senders
                    message.unsubscribe();
                }
                messages.add(message.build());
                toSend.add(item);
            } catch (RuntimeException e) {
                outcomes.add(new Outcome(item, "failed", null, null, "Invalid message: " + e.getMessage(), null,
                        null));
            }
        }
        if (!toSend.isEmpty()) {
            List<SendResult> results;
            String providerName = null;
            try {
                // asked per chunk: the organization's senders may change during the campaign (V3.12), and the module
                // re-checks the route of each message right before it goes
                EmailProvider provider = providers.providerFor(campaign.organizationId(), campaign.senderEmail());
                providerName = provider.providerName().wire();
                results = provider.sendBatch(messages);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Sending " + toSend.size() + " items threw; they will be retried", e);
                for (Claimed item : toSend) {
                    outcomes.add(retryOrFail(item, providerName, "Sending failed: " + e, null));
                }
                results = List.of();
            }
            for (int i = 0; i < results.size(); i++) {
                outcomes.add(outcome(toSend.get(i), results.get(i), providerName));
            }
        }
        record(outcomes, token);
        if (outcomes.stream().anyMatch(o -> PAUSED.equals(o.status()))) {
            pauses.pause(campaign.id());
        }
    }

    private Outcome outcome(Claimed item, SendResult result, String providerName) {
        String used = result.provider() == null ? providerName : result.provider().wire();
        return switch (result.status()) {
            case SENT -> new Outcome(item, "sent", used, result.messageId(), null, result.warning(), null);
            case SUPPRESSED -> new Outcome(item, "suppressed", used, null, result.error(), result.warning(), null);
            case UNKNOWN -> new Outcome(item, "unknown", used, null, result.error(), result.warning(), null);
            // the organization's sending is paused: the item waits, queued, and the campaign pauses (CampaignPauses)
            case PAUSED -> new Outcome(item, PAUSED, used, null, result.error(), result.warning(), null);
            case FAILED -> result.retryable() ? retryOrFail(item, used, result.error(), result.warning())
                    : new Outcome(item, "failed", used, null, result.error(), result.warning(), null);
        };
    }

    private Outcome retryOrFail(Claimed item, String provider, String error, String warning) {
        if (item.attempts() >= maxAttempts) {
            return new Outcome(item, "failed", provider, null, error + " (gave up after " + item.attempts()
                    + " attempts)", warning, null);
        }
        // 2 s, 4 s, 8 s, ... (capped at 10 minutes), with a little jitter so that retries do not bunch up
        long base = retryBackoff.toMillis() << Math.min(item.attempts() - 1, 20);
        long millis = Math.min(base, Duration.ofMinutes(10).toMillis());
        millis += (long) (millis * 0.2 * Math.random());
        return new Outcome(item, "queued", provider, null, error, warning, millis / 1000.0);
    }

    /**
     * Records the outcomes in one statement, except for items taken over by another worker meanwhile (their
     * outcome counts).
     */
    private void record(List<Outcome> outcomes, String token) {
        if (outcomes.isEmpty()) {
            return;
        }
        String sql = "update campaign_items i set status = case when o.status = 'paused' then 'queued'"
                + " else o.status end, attempts = case when o.status = 'paused' then greatest(i.attempts - 1, 0)"
                + " else i.attempts end, provider_used = coalesce(o.provider,"
                + " i.provider_used), message_id = o.message_id, error = o.error, warning = o.warning,"
                + " sent_at = case when o.status = 'sent' then now() else i.sent_at end,"
                + " next_attempt_at = case when o.retry_in is not null then now() + make_interval(secs => o.retry_in)"
                + " else null end, claimed_by = null, claimed_at = null"
                + " from unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[], ?::text[], ?::text[],"
                + " ?::float8[]) as o(id, status, provider, message_id, error, warning, retry_in)"
                + " where i.id = o.id and i.status = 'sending' and i.claimed_by = ?";
        try (Connection c = dataSource.getConnection(); var update = c.prepareStatement(sql)) {
            update.setArray(1, c.createArrayOf("bigint", outcomes.stream().map(o -> o.item().id()).toArray()));
            update.setArray(2, c.createArrayOf("varchar", outcomes.stream().map(Outcome::status).toArray()));
            update.setArray(3, c.createArrayOf("varchar", outcomes.stream().map(Outcome::provider).toArray()));
            update.setArray(4, c.createArrayOf("varchar", outcomes.stream().map(Outcome::messageId).toArray()));
            update.setArray(5, c.createArrayOf("text", outcomes.stream().map(o -> truncate(o.error())).toArray()));
            update.setArray(6, c.createArrayOf("text", outcomes.stream().map(o -> truncate(o.warning())).toArray()));
            update.setArray(7, c.createArrayOf("float8", outcomes.stream().map(Outcome::retryInSeconds).toArray()));
            update.setString(8, token);
            int updated = update.executeUpdate();
            if (updated < outcomes.size()) {
                LOG.info((outcomes.size() - updated) + " campaign items were taken over by another worker; their"
                        + " outcome stands");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not record the outcome of " + outcomes.size() + " campaign items",
                    e);
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
