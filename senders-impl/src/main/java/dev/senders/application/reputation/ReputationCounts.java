package dev.senders.application.reputation;

import dev.senders.api.sending.ProviderName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of an organization's reputation, on a connection the caller holds. The figures of the window are the
 * 15-minute buckets of {@code senders_reputation_counts} (each filled once, when it is over and settled) plus a count
 * of the open tail after the last bucket, so a reading adds at most 672 rows per provider to at most about 20 minutes
 * of sends (by the index on {@code senders_sends (organization_id, updated_at)}) and of bounces and complaints (by a
 * partial index), however much the organization sends. Every time is the database's.
 */
final class ReputationCounts {

    /** The width of a bucket. */
    static final long BUCKET_SECONDS = 900;
    /** A bucket is filled once it has been over this long: the sends and events written in it are committed. */
    static final Duration SETTLE = Duration.ofMinutes(5);

    private ReputationCounts() {
    }

    /** An organization's row of {@code senders_reputation}. */
    record Row(ReputationState state, Instant countedUntil, Instant countingSince, ProviderName causeProvider,
               RateKind causeRate, Double causeValue, Instant stateSince, Instant evaluatedAt) {
    }

    /** The raw figures of one provider. */
    record Figures(long sends, long permanentBounces, long complaints) {
        Figures plus(Figures other) {
            return new Figures(sends + other.sends, permanentBounces + other.permanentBounces,
                    complaints + other.complaints);
        }
    }

    static Instant now(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select now()"); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    /** The start of the bucket {@code at} falls in. */
    static Instant bucketOf(Instant at) {
        return Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), BUCKET_SECONDS) * BUCKET_SECONDS);
    }

    /** One evaluation of the organization at a time, across the cluster, until the transaction ends. */
    static void lock(Connection c, String organizationId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "select 1 from (select pg_advisory_xact_lock(hashtextextended(?, 0))) as locked")) {
            s.setString(1, "senders:reputation:" + organizationId);
            s.executeQuery().close();
        }
    }

    static Optional<Row> row(Connection c, String organizationId, boolean forUpdate) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select state, counted_until, counting_since, cause_provider,"
                + " cause_rate, cause_value, state_since, evaluated_at from senders_reputation"
                + " where organization_id = ?" + (forUpdate ? " for update" : ""))) {
            s.setString(1, organizationId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String provider = rs.getString(4);
                String rate = rs.getString(5);
                double value = rs.getDouble(6);
                Double causeValue = rs.wasNull() ? null : value;
                return Optional.of(new Row(ReputationState.fromWire(rs.getString(1)), instant(rs, 2),
                        instant(rs, 3), provider == null ? null : ProviderName.valueOf(provider.toUpperCase(Locale.ROOT)),
                        rate == null ? null : RateKind.fromWire(rate), causeValue, instant(rs, 7), instant(rs, 8)));
            }
        }
    }

    /** The organization's row, created (ok, counted from the window's start) when it has none; locked. */
    static Row ensure(Connection c, String organizationId, Instant windowStart) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into senders_reputation (organization_id, state,"
                + " counted_until) values (?, 'ok', ?) on conflict (organization_id) do nothing")) {
            s.setString(1, organizationId);
            s.setObject(2, utc(windowStart));
            s.executeUpdate();
        }
        return row(c, organizationId, true).orElseThrow();
    }

    /**
     * Fills the buckets that are over and settled since the last one filled (from the window's start at most; from
     * the last resume at least), deletes the buckets older than the window, and returns the new end of the buckets.
     */
    static Instant fill(Connection c, String organizationId, Row row, Instant now, Instant windowStart)
            throws SQLException {
        Instant from = later(row.countedUntil(), windowStart);
        Instant to = bucketOf(now.minus(SETTLE));
        Instant countedUntil = row.countedUntil();
        if (to.isAfter(from)) {
            Instant rowsFrom = later(from, row.countingSince());
            try (PreparedStatement sends = c.prepareStatement("""
                    insert into senders_reputation_counts (organization_id, provider, bucket_start, sends)
                    select ?, provider, to_timestamp(floor(extract(epoch from updated_at) / ?) * ?), count(*)
                      from senders_sends
                     where organization_id = ? and updated_at >= ? and updated_at < ? and status = 'sent'
                     group by 2, 3
                    on conflict (organization_id, bucket_start, provider) do update set sends = excluded.sends""")) {
                bucketStatement(sends, organizationId, rowsFrom, to);
                sends.executeUpdate();
            }
            try (PreparedStatement events = c.prepareStatement("""
                    insert into senders_reputation_counts (organization_id, provider, bucket_start, permanent_bounces,
                                                           complaints)
                    select ?, provider, to_timestamp(floor(extract(epoch from created_at) / ?) * ?),
                           count(*) filter (where event_type = 'bounce' and bounce_type = 'Permanent'),
                           count(*) filter (where event_type = 'complaint')
                      from senders_email_events
                     where organization_id = ? and created_at >= ? and created_at < ?
                       and event_type in ('bounce', 'complaint')
                     group by 2, 3
                    on conflict (organization_id, bucket_start, provider) do update
                       set permanent_bounces = excluded.permanent_bounces, complaints = excluded.complaints""")) {
                bucketStatement(events, organizationId, rowsFrom, to);
                events.executeUpdate();
            }
            try (PreparedStatement update = c.prepareStatement(
                    "update senders_reputation set counted_until = ? where organization_id = ?")) {
                update.setObject(1, utc(to));
                update.setString(2, organizationId);
                update.executeUpdate();
            }
            countedUntil = to;
        }
        try (PreparedStatement delete = c.prepareStatement(
                "delete from senders_reputation_counts where organization_id = ? and bucket_start < ?")) {
            delete.setString(1, organizationId);
            delete.setObject(2, utc(windowStart));
            delete.executeUpdate();
        }
        return countedUntil;
    }

    private static void bucketStatement(PreparedStatement s, String organizationId, Instant from, Instant to)
            throws SQLException {
        s.setString(1, organizationId);
        s.setLong(2, BUCKET_SECONDS);
        s.setLong(3, BUCKET_SECONDS);
        s.setString(4, organizationId);
        s.setObject(5, utc(from));
        s.setObject(6, utc(to));
    }

    /**
     * Each provider's figures from {@code start}: the buckets from it to {@code countedUntil}, and the rows written
     * since (the open tail). {@code start} is the window's start or the last resume.
     */
    static Map<ProviderName, Figures> figures(Connection c, String organizationId, Instant windowStart,
                                              Instant countingSince, Instant countedUntil) throws SQLException {
        Map<ProviderName, Figures> figures = new EnumMap<>(ProviderName.class);
        for (ProviderName p : ProviderName.values()) {
            figures.put(p, new Figures(0, 0, 0));
        }
        Instant start = later(windowStart, countingSince);
        if (countedUntil != null && countedUntil.isAfter(windowStart)) {
            try (PreparedStatement s = c.prepareStatement("select provider, sum(sends), sum(permanent_bounces),"
                    + " sum(complaints) from senders_reputation_counts where organization_id = ?"
                    + " and bucket_start >= ? and bucket_start < ? group by provider")) {
                s.setString(1, organizationId);
                s.setObject(2, utc(windowStart));
                s.setObject(3, utc(countedUntil));
                add(figures, s);
            }
        }
        Instant tail = later(countedUntil, start);
        try (PreparedStatement s = c.prepareStatement("select provider, count(*) from senders_sends"
                + " where organization_id = ? and updated_at >= ? and status = 'sent' group by provider")) {
            s.setString(1, organizationId);
            s.setObject(2, utc(tail));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    figures.merge(provider(rs.getString(1)), new Figures(rs.getLong(2), 0, 0), Figures::plus);
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("select provider,"
                + " count(*) filter (where event_type = 'bounce' and bounce_type = 'Permanent'),"
                + " count(*) filter (where event_type = 'complaint')"
                + " from senders_email_events where organization_id = ? and created_at >= ?"
                + " and event_type in ('bounce', 'complaint') group by provider")) {
            s.setString(1, organizationId);
            s.setObject(2, utc(tail));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    figures.merge(provider(rs.getString(1)), new Figures(0, rs.getLong(2), rs.getLong(3)),
                            Figures::plus);
                }
            }
        }
        return figures;
    }

    private static void add(Map<ProviderName, Figures> figures, PreparedStatement s)
            throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                figures.merge(provider(rs.getString(1)), new Figures(rs.getLong(2), rs.getLong(3), rs.getLong(4)),
                        Figures::plus);
            }
        }
    }

    /** The latest permanent bounces and complaints of the organization's own mail since {@code start}. */
    static List<ReputationEvent> latest(Connection c, String organizationId, Instant start, int limit)
            throws SQLException {
        List<ReputationEvent> events = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select event_type, provider, recipient, campaign_id,"
                + " case when event_type = 'bounce' then coalesce(detail, bounce_sub_type) else detail end,"
                + " occurred_at, created_at from senders_email_events"
                + " where organization_id = ? and created_at >= ? and event_type in ('bounce', 'complaint')"
                + " and (event_type = 'complaint' or bounce_type = 'Permanent')"
                + " order by created_at desc, id desc limit ?")) {
            s.setString(1, organizationId);
            s.setObject(2, utc(start));
            s.setInt(3, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    events.add(new ReputationEvent(RateKind.fromWire(rs.getString(1)), provider(rs.getString(2)),
                            rs.getString(3), rs.getString(4), rs.getString(5), instant(rs, 6), instant(rs, 7)));
                }
            }
        }
        return events;
    }

    /** Writes the outcome of an evaluation. */
    static void write(Connection c, String organizationId, ReputationState state, Reputation.Cause cause,
                      boolean changed, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("update senders_reputation set state = ?, cause_provider = ?,"
                + " cause_rate = ?, cause_value = ?, evaluated_at = ?,"
                + " state_since = case when ? then ? else state_since end where organization_id = ?")) {
            s.setString(1, state.wire());
            s.setString(2, cause == null ? null : cause.provider().wire());
            s.setString(3, cause == null ? null : cause.rate().wire());
            if (cause == null) {
                s.setNull(4, java.sql.Types.DOUBLE);
            } else {
                s.setDouble(4, cause.value());
            }
            s.setObject(5, utc(now));
            s.setBoolean(6, changed);
            s.setObject(7, utc(now));
            s.setString(8, organizationId);
            s.executeUpdate();
        }
    }

    /** A resume: ok, counting afresh from {@code now} (the buckets go). */
    static void resume(Connection c, String organizationId, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("update senders_reputation set state = 'ok',"
                + " cause_provider = null, cause_rate = null, cause_value = null, counting_since = ?,"
                + " counted_until = ?, state_since = ?, evaluated_at = ? where organization_id = ?")) {
            s.setObject(1, utc(now));
            s.setObject(2, utc(bucketOf(now)));
            s.setObject(3, utc(now));
            s.setObject(4, utc(now));
            s.setString(5, organizationId);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement(
                "delete from senders_reputation_counts where organization_id = ?")) {
            s.setString(1, organizationId);
            s.executeUpdate();
        }
    }

    /** The organizations that are not ok (warned or paused). */
    static List<String> notOk(Connection c) throws SQLException {
        List<String> organizations = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select organization_id from senders_reputation"
                + " where state <> 'ok' order by organization_id")) {
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    organizations.add(rs.getString(1));
                }
            }
        }
        return organizations;
    }

    /** How many organizations are in each state (those with a row: that ever had a bounce or complaint). */
    static Map<ReputationState, Long> states(Connection c) throws SQLException {
        Map<ReputationState, Long> counts = new EnumMap<>(ReputationState.class);
        for (ReputationState s : ReputationState.values()) {
            counts.put(s, 0L);
        }
        try (PreparedStatement s = c.prepareStatement(
                "select state, count(*) from senders_reputation group by state"); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                counts.put(ReputationState.fromWire(rs.getString(1)), rs.getLong(2));
            }
        }
        return counts;
    }

    private static ProviderName provider(String wire) {
        return ProviderName.valueOf(wire.toUpperCase(Locale.ROOT));
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.isAfter(b) ? a : b;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
