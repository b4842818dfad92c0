package dev.senders.application.sending;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.ProviderName;
import dev.senders.api.sending.SendResult;
import dev.senders.domain.model.suppression.SuppressedAddress;
import dev.senders.infrastructure.logging.StructuredLog;
import dev.senders.infrastructure.persistence.SendersDatabase;
import dev.senders.infrastructure.ratelimit.WithReservation;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The module's record of every send ({@code senders_sends}), used as a claim before every provider call: one
 * statement per batch claims each (organization, idempotency key) before anything is sent, and one statement per
 * batch writes the outcomes. Plain JDBC on autocommitted connections (on the send path: no JTA transaction).
 *
 * <p>What a claim finds ({@link Kind}): a new key, or one whose earlier attempt failed or was suppressed, is claimed
 * and sent; a key already sent answers from its record and is not sent; a key another live send holds (claimed within
 * {@code senders.sending.claim-lease}, PT2M) is not sent either ({@code IN_PROGRESS}, retryable); a claim whose
 * outcome never came back (its claimant crashed, or the provider did not answer in time) is taken over, and the
 * provider decides what its unknown outcome allows ({@link Claim#requestKey()} says whether it left at all).
 *
 * <p>Before a provider request leaves, its messages are marked with the request's key ({@link #dispatching}), so a
 * claim left without an outcome tells whether it may have reached the provider. A record that fails to write after a
 * send is retried, then left: the claim stays and, its lease over, is an unknown outcome, never a second blind send.
 *
 * <p>Every statement here takes its rows' locks in (organization, key) order: a claim inserts in that order, a mark
 * and a record lock their rows in it ({@code order by ... for update}) before they update them. So two batches of the
 * same keys in different orders (the same 200 keys sent from two instances, joined into batches differently), or one
 * instance's claim against another's mark or record, wait for each other instead of deadlocking. Should a claim still
 * be chosen to break a deadlock, it is rolled back whole and run again.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.NOT_SUPPORTED)
public class SendClaims {

    private static final StructuredLog EVENTS = StructuredLog.of(SendClaims.class);
    private static final int RECORD_ATTEMPTS = 3;
    private static final int CLAIM_ATTEMPTS = 3;
    /** PostgreSQL's SQLSTATE for a transaction it chose to abort to break a deadlock. */
    private static final String DEADLOCK = "40P01";

    private static final String CLAIM = """
            with input as (
                select * from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],
                                     ?::varchar[]) with ordinality
                    as t(org, key, recipient, normalized, campaign, from_address, pos)
            ),
            prior as (
                select i.pos, s.status, s.provider, s.message_id, s.warning, s.request_key, s.request_size,
                       s.status = 'sending' and s.claimed_at < clock_timestamp() - make_interval(secs => ?) as stale
                  from input i join senders_sends s on s.organization_id = i.org and s.idempotency_key = i.key
            ),
            claimed as (
                insert into senders_sends as s (idempotency_key, organization_id, campaign_id, recipient,
                                                from_address, provider, status, claim_token, claimed_at)
                select key, org, campaign, recipient, from_address, ?, 'sending', ?, clock_timestamp()
                  from input where key is not null
                 order by org, key
                on conflict (organization_id, idempotency_key) where idempotency_key is not null
                do update set status = 'sending', claim_token = excluded.claim_token,
                              claimed_at = excluded.claimed_at, provider = excluded.provider,
                              campaign_id = excluded.campaign_id, recipient = excluded.recipient,
                              from_address = excluded.from_address, message_id = null, error = null,
                              request_key = case when s.status in ('failed', 'suppressed', 'paused') then null
                                                 else s.request_key end,
                              request_size = case when s.status in ('failed', 'suppressed', 'paused') then null
                                                  else s.request_size end,
                              updated_at = now()
                 where s.status in ('failed', 'suppressed', 'unknown', 'paused')
                    or (s.status = 'sending' and s.claimed_at < clock_timestamp() - make_interval(secs => ?))
                returning s.organization_id, s.idempotency_key
            )
            select i.pos, c.idempotency_key is not null, p.status, p.provider, p.message_id, p.warning,
                   p.request_key, p.request_size, coalesce(p.stale, false),
                   exists (select 1 from senders_suppressions x where x.email = i.normalized
                            and (x.organization_id is null or x.organization_id = i.org)),
                   exists (select 1 from senders_reputation r where r.organization_id = i.org
                            and r.state = 'paused')
              from input i
              left join claimed c on c.organization_id = i.org and c.idempotency_key = i.key
              left join prior p on p.pos = i.pos
             order by i.pos""";

    private static final String DISPATCHING = """
            update senders_sends s set request_key = ?, request_size = ?
              from (select o.id from senders_sends o
                      join unnest(?::varchar[], ?::varchar[]) as t(org, key)
                        on o.organization_id = t.org and o.idempotency_key = t.key
                     where o.claim_token = ?
                     order by o.organization_id, o.idempotency_key
                       for update of o) mine
             where s.id = mine.id""";

    private static final String RECORD = """
            with u as (
                select * from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],
                                     ?::varchar[], ?::varchar[], ?::varchar[], ?::text[], ?::text[], ?::boolean[])
                    as t(org, key, campaign, recipient, from_address, provider, status, message_id, error, warning,
                         list_unsubscribe)
            ),
            mine as (
                select o.id, u.* from senders_sends o
                  join u on o.organization_id = u.org and o.idempotency_key = u.key
                 where u.key is not null and o.claim_token = ?
                 order by o.organization_id, o.idempotency_key
                   for update of o
            ),
            updated as (
                update senders_sends s set status = mine.status, provider = mine.provider,
                       from_address = mine.from_address, message_id = mine.message_id, error = mine.error,
                       warning = mine.warning, list_unsubscribe = mine.list_unsubscribe, updated_at = now()
                  from mine
                 where s.id = mine.id
                returning 1
            )
            insert into senders_sends (organization_id, campaign_id, recipient, from_address, provider, message_id,
                                       status, error, warning, list_unsubscribe)
            select org, campaign, recipient, from_address, provider, message_id, status, error, warning,
                   list_unsubscribe
              from u where key is null""";

    @Resource(lookup = SendersDatabase.JNDI_NAME)
    DataSource dataSource;

    /** How long a claim stands for a send in progress; after it, the claim is taken over as an unknown outcome. */
    @Inject
    @ConfigProperty(name = "senders.sending.claim-lease", defaultValue = "PT2M")
    Duration lease;

    /** One message of a batch on its way: the message, and the From address it leaves with. */
    /**
     * A message to claim, send and record. {@code warning}: the routing warning its send is recorded with (a Resend
     * fallback from an unverified domain), or null.
     */
    public record Outgoing(EmailMessage message, String fromAddress, String warning) {
        public Outgoing(EmailMessage message, String fromAddress) {
            this(message, fromAddress, null);
        }
    }

    /** What the claim found for a message. */
    public enum Kind {
        /** New, or its earlier attempt failed or was suppressed: claimed, to send. */
        FRESH,
        /** Sent already: answered from its record ({@link Claim#earlier()}), not sent. */
        SENT_BEFORE,
        /** Another send holds the claim right now: not sent (retryable). */
        IN_PROGRESS,
        /**
         * Claimed now, taking over a claim whose outcome never came back (a crash, a lost answer): it may have
         * reached the provider when {@link Claim#requestKey()} is set. The provider decides.
         */
        TAKEN_OVER,
        /** No idempotency key: nothing to claim; sent, and recorded afterwards. */
        UNCLAIMED
    }

    /**
     * @param kind        what was found
     * @param suppressed  whether the recipient is on the organization's suppression list (its own or platform-wide)
     * @param earlier     the earlier result, for {@link Kind#SENT_BEFORE}
     * @param requestKey  the request an unfinished earlier attempt went out in ({@link Kind#TAKEN_OVER}), or null if
     *                    it never left
     * @param requestSize how many messages that request carried
     * @param paused      whether the organization's sending is paused (its reputation: {@code senders_reputation})
     */
    public record Claim(Kind kind, boolean suppressed, SendResult earlier, String requestKey, int requestSize,
                        boolean paused) {
        /** Whether this send owns the message now (and must record its outcome). */
        public boolean ours() {
            return kind == Kind.FRESH || kind == Kind.TAKEN_OVER || kind == Kind.UNCLAIMED;
        }
    }

    /** A new claimant's token (one per batch). */
    public static String newToken() {
        return java.util.UUID.randomUUID().toString();
    }

    /**
     * Claims every keyed message of the batch in one statement, and reads the suppression list and whether the
     * organization's sending is paused for each.
     */
    public List<Claim> claim(ProviderName provider, String token, List<Outgoing> batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                return claimOnce(provider, token, batch);
            } catch (SQLException e) {
                // a deadlock rolled the whole statement back: nothing was claimed, so it is safe to run it again
                if (!DEADLOCK.equals(e.getSQLState()) || attempt >= CLAIM_ATTEMPTS) {
                    throw new IllegalStateException("Could not claim " + batch.size() + " messages before sending: "
                            + e.getMessage(), e);
                }
                EVENTS.info("send.claim-deadlock-retried").organization(batch.get(0).message().organizationId())
                        .field("messages", batch.size()).field("attempt", attempt).log();
            }
        }
    }

    private List<Claim> claimOnce(ProviderName provider, String token, List<Outgoing> batch) throws SQLException {
        try (Connection c = SendersDatabase.autoCommitting(dataSource.getConnection());
             PreparedStatement claim = c.prepareStatement(CLAIM)) {
            claim.setArray(1, array(c, batch, o -> o.message().organizationId()));
            claim.setArray(2, array(c, batch, o -> o.message().idempotencyKey()));
            claim.setArray(3, array(c, batch, o -> o.message().to()));
            claim.setArray(4, array(c, batch, o -> SuppressedAddress.normalize(o.message().to()).orElse(null)));
            claim.setArray(5, array(c, batch, o -> o.message().campaignId()));
            claim.setArray(6, array(c, batch, Outgoing::fromAddress));
            claim.setDouble(7, leaseSeconds());
            claim.setString(8, provider.wire());
            claim.setString(9, token);
            claim.setDouble(10, leaseSeconds());
            List<Claim> claims = new ArrayList<>(batch.size());
            try (ResultSet row = claim.executeQuery()) {
                while (row.next()) {
                    claims.add(claim(batch.get(row.getInt(1) - 1), row));
                }
            }
            return claims;
        }
    }

    private static Claim claim(Outgoing outgoing, ResultSet row) throws SQLException {
        boolean claimed = row.getBoolean(2);
        String prior = row.getString(3);
        boolean suppressed = row.getBoolean(10);
        boolean paused = row.getBoolean(11);
        if (outgoing.message().idempotencyKey() == null) {
            return new Claim(Kind.UNCLAIMED, suppressed, null, null, 0, paused);
        }
        if (claimed) {
            boolean unfinished = "unknown".equals(prior) || ("sending".equals(prior) && row.getBoolean(9));
            return unfinished
                    ? new Claim(Kind.TAKEN_OVER, suppressed, null, row.getString(7), row.getInt(8), paused)
                    : new Claim(Kind.FRESH, suppressed, null, null, 0, paused);
        }
        if ("sent".equals(prior)) {
            SendResult earlier = SendResult.sent(ProviderName.valueOf(row.getString(4).toUpperCase(Locale.ROOT)),
                    row.getString(5), row.getString(6));
            return new Claim(Kind.SENT_BEFORE, false, earlier, null, 0, false);
        }
        // held by a live send, or claimed by another one after this statement began
        return new Claim(Kind.IN_PROGRESS, false, null, null, 0, false);
    }

    /** Marks the messages as leaving in the request {@code requestKey}, just before it leaves (one statement). */
    public void dispatching(String token, List<Outgoing> request, String requestKey) {
        WithReservation mark = leaving(token, request, requestKey);
        if (mark == null) {
            return;
        }
        try (Connection c = SendersDatabase.autoCommitting(dataSource.getConnection());
             PreparedStatement update = c.prepareStatement(mark.sql())) {
            mark.binder().bind(c, update, 0);
            update.executeUpdate();
        } catch (SQLException e) {
            // nothing left yet: the request is not sent without the mark
            throw new IllegalStateException("Could not mark " + request.size() + " messages as leaving: "
                    + e.getMessage(), e);
        }
    }

    /**
     * {@link #dispatching}'s mark as a statement to send with the request's rate-limit reservation, in its round trip
     * and transaction ({@link WithReservation}): the calls then get their slots without a round trip of their own
     * first, and a reservation whose mark failed takes no slot (so nothing is sent unmarked). Null when no message of
     * the request has an idempotency key (nothing to mark).
     */
    public WithReservation leaving(String token, List<Outgoing> request, String requestKey) {
        List<Outgoing> keyed = request.stream().filter(o -> o.message().idempotencyKey() != null).toList();
        if (keyed.isEmpty()) {
            return null;
        }
        return new WithReservation(DISPATCHING, (c, update, after) -> {
            update.setString(after + 1, requestKey);
            update.setInt(after + 2, request.size());
            update.setArray(after + 3, array(c, keyed, o -> o.message().organizationId()));
            update.setArray(after + 4, array(c, keyed, o -> o.message().idempotencyKey()));
            update.setString(after + 5, token);
            return 5;
        });
    }

    /**
     * Writes the outcomes of the messages this send owns, in one statement (retried; never throws: the send happened,
     * and a claim without its outcome is an unknown outcome later, not a second blind send).
     */
    public void record(String token, List<Outgoing> sent, List<SendResult> results) {
        if (sent.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                write(token, sent, results);
                return;
            } catch (SQLException | RuntimeException e) {
                if (attempt >= RECORD_ATTEMPTS) {
                    EVENTS.warning("send.record-failed").organization(sent.get(0).message().organizationId())
                            .field("messages", sent.size()).field("error", e.getMessage()).log();
                    return;
                }
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void write(String token, List<Outgoing> sent, List<SendResult> results) throws SQLException {
        try (Connection c = SendersDatabase.autoCommitting(dataSource.getConnection());
             PreparedStatement write = c.prepareStatement(RECORD)) {
            write.setArray(1, array(c, sent, o -> o.message().organizationId()));
            write.setArray(2, array(c, sent, o -> o.message().idempotencyKey()));
            write.setArray(3, array(c, sent, o -> o.message().campaignId()));
            write.setArray(4, array(c, sent, o -> o.message().to()));
            write.setArray(5, array(c, sent, Outgoing::fromAddress));
            write.setArray(6, c.createArrayOf("varchar", results.stream()
                    .map(r -> r.provider() == null ? null : r.provider().wire()).toArray()));
            write.setArray(7, c.createArrayOf("varchar", results.stream().map(SendClaims::status).toArray()));
            write.setArray(8, c.createArrayOf("varchar", results.stream().map(SendResult::messageId).toArray()));
            write.setArray(9, c.createArrayOf("text", results.stream().map(SendResult::error).toArray()));
            write.setArray(10, c.createArrayOf("text", results.stream().map(SendResult::warning).toArray()));
            // whether it carried the module's List-Unsubscribe fields (a message asking for them goes with them or
            // not at all)
            write.setArray(11, c.createArrayOf("boolean", sent.stream()
                    .map(o -> o.message().unsubscribe() != null).toArray()));
            write.setString(12, token);
            write.executeUpdate();
        }
    }

    /** As stored: an outcome the provider may have reached without answering is 'unknown'. */
    static String status(SendResult result) {
        if (result.status() == SendResult.Status.FAILED && result.failure() == SendResult.Failure.TIMEOUT) {
            return "unknown";
        }
        return result.status().name().toLowerCase(Locale.ROOT);
    }

    private static Array array(Connection c, List<Outgoing> batch, Function<Outgoing, String> value)
            throws SQLException {
        return c.createArrayOf("varchar", batch.stream().map(value).toArray());
    }

    private double leaseSeconds() {
        return lease.toMillis() / 1000.0;
    }
}
