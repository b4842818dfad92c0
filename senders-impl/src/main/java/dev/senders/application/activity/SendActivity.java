package dev.senders.application.activity;

import dev.senders.api.tenancy.Tenant;
import dev.senders.application.error.SendersProblem;
import dev.senders.infrastructure.persistence.SendersDatabase;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.postgresql.PGStatement;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The Emails (activity) page's reads: an organization's sends ({@code senders_sends}), newest first, by keyset
 * ({@code created_at}, {@code id}) so that every page is an index range read whatever the table's size (V26), and one
 * send with its timeline: the module's own record (queued, then sent, failed, suppressed, paused or unknown) and what
 * the provider reported about it ({@code senders_email_events}: delivered, bounced, complained, opened, clicked).
 * Always the caller's organization's, never another's (another's id is not found); a platform admin too sees only
 * the sends of the organization it signed in with.
 *
 * <p>Filters: {@code status} (the module's record: sending, sent, failed, suppressed, unknown, paused),
 * {@code provider} (ses, resend), {@code campaign} (the {@code campaignId} the host passed with the message; the
 * reference host passes its campaign's id) and {@code q}: recipients that start with it, case-insensitively (a whole
 * address finds that recipient).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.NOT_SUPPORTED)
public class SendActivity {

    public static final int MAX_PAGE_SIZE = 100;
    public static final int MAX_EVENTS = 500;
    public static final Set<String> STATUSES = Set.of("sending", "sent", "failed", "suppressed", "unknown", "paused");
    public static final Set<String> PROVIDERS = Set.of("ses", "resend");
    private static final int MAX_SEARCH = 320;
    private static final int MAX_CAMPAIGN = 255;

    /** The provider's latest event about the send, if any (for the list's "Delivered", "Bounced" ...). */
    private static final String LAST_EVENT = """
            left join lateral (
                select e.event_type, e.occurred_at from senders_email_events e
                 where e.ses_message_id = s.message_id and e.provider = s.provider
                   and e.organization_id = s.organization_id
                 order by e.occurred_at desc, e.id desc limit 1) ev on s.message_id is not null""";

    private static final String COLUMNS = "s.id, s.recipient, s.from_address, s.provider, s.message_id, s.status,"
            + " s.error, s.warning, s.campaign_id, s.created_at, s.updated_at, ev.event_type, ev.occurred_at";

    @Resource(lookup = SendersDatabase.JNDI_NAME)
    DataSource dataSource;

    /** One send as the page shows it. {@code lastEvent}: the provider's latest event type (delivery, bounce ...). */
    public record Send(long id, String recipient, String fromAddress, String provider, String messageId, String status,
                       String error, String warning, String campaignId, OffsetDateTime createdAt,
                       OffsetDateTime updatedAt, String lastEvent, OffsetDateTime lastEventAt) {
    }

    /** A provider's event about a send. {@code detail}: a bounce's diagnostic, a complaint's feedback type, a link. */
    public record Event(String type, String provider, String recipient, String bounceType, String bounceSubType,
                        String detail, OffsetDateTime occurredAt, OffsetDateTime receivedAt) {
    }

    /** What to list. Every field is optional (null). */
    public record Filter(String q, String status, String provider, String campaign) {
    }

    /** A page and the cursor of the next (older) one, or null when this is the last. */
    public record Page(List<Send> items, int size, String next) {
    }

    public record Timeline(Send send, List<Event> events) {
    }

    /** Checks the filter's values (400 naming the field) and normalizes them. */
    public static Filter checked(String q, String status, String provider, String campaign) {
        String search = blankToNull(q);
        if (search != null) {
            search = search.toLowerCase(Locale.ROOT);
            if (search.length() > MAX_SEARCH) {
                throw SendersProblem.invalid("q", "too-long", "q must be at most " + MAX_SEARCH + " characters");
            }
        }
        String s = blankToNull(status);
        if (s != null && !STATUSES.contains(s)) {
            throw SendersProblem.invalid("status", "unknown-status",
                    "status must be one of sending, sent, failed, suppressed, unknown, paused");
        }
        String p = blankToNull(provider);
        if (p != null && !PROVIDERS.contains(p)) {
            throw SendersProblem.invalid("provider", "unknown-provider", "provider must be ses or resend");
        }
        String c = blankToNull(campaign);
        if (c != null && c.length() > MAX_CAMPAIGN) {
            throw SendersProblem.invalid("campaign", "too-long", "campaign must be at most " + MAX_CAMPAIGN
                    + " characters");
        }
        return new Filter(search, s, p, c);
    }

    /**
     * One page of the organization's sends, newest first.
     *
     * @param cursor the {@code next} of the page before (older sends than its last row), or null for the newest
     */
    public Page page(Tenant tenant, Filter filter, String cursor, int size) {
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw SendersProblem.invalid("size", "must be between 1 and " + MAX_PAGE_SIZE,
                    "size must be between 1 and " + MAX_PAGE_SIZE);
        }
        Key after = cursor == null || cursor.isBlank() ? null : Key.parse(cursor.strip());
        StringBuilder sql = new StringBuilder("select ").append(COLUMNS).append(" from senders_sends s ")
                .append(LAST_EVENT).append(" where s.organization_id = ?");
        List<Object> params = new ArrayList<>();
        params.add(tenant.organizationId());
        if (filter.status() != null) {
            sql.append(" and s.status = ?");
            params.add(filter.status());
        }
        if (filter.provider() != null) {
            sql.append(" and s.provider = ?");
            params.add(filter.provider());
        }
        if (filter.campaign() != null) {
            sql.append(" and s.campaign_id = ?");
            params.add(filter.campaign());
        }
        if (filter.q() != null) {
            // "starts with" as a range of the pattern (byte-wise) operators, which the text_pattern_ops index reads
            // whatever the parameter (a LIKE with a parameter cannot use it in a generic plan)
            sql.append(" and lower(s.recipient) ~>=~ ? and lower(s.recipient) ~<~ ?");
            params.add(filter.q());
            params.add(successor(filter.q()));
        }
        if (after != null) {
            sql.append(" and (s.created_at, s.id) < (?, ?)");
            params.add(after.createdAt());
            params.add(after.id());
        }
        sql.append(" order by s.created_at desc, s.id desc limit ?");
        params.add(size + 1);
        // a search is planned with its values every time: "a" and "ann.smith@" want different plans
        List<Send> rows = query(sql.toString(), params, filter.q() != null);
        String next = null;
        if (rows.size() > size) {
            rows = new ArrayList<>(rows.subList(0, size));
            Send last = rows.get(size - 1);
            next = new Key(last.createdAt(), last.id()).encode();
        }
        return new Page(List.copyOf(rows), size, next);
    }

    /** The send and its timeline, if it is one of the organization's; otherwise 404. */
    public Timeline get(Tenant tenant, long id) {
        List<Send> found = query("select " + COLUMNS + " from senders_sends s " + LAST_EVENT
                + " where s.id = ? and s.organization_id = ?", List.of(id, tenant.organizationId()), false);
        Send send = found.stream().findFirst().orElseThrow(() -> SendersProblem.notFound("Email " + id));
        return new Timeline(send, send.messageId() == null ? List.of() : events(tenant, send));
    }

    private List<Event> events(Tenant tenant, Send send) {
        String sql = "select event_type, provider, recipient, bounce_type, bounce_sub_type, detail, occurred_at,"
                + " created_at from senders_email_events where ses_message_id = ? and provider = ?"
                + " and organization_id = ? order by occurred_at, id limit " + MAX_EVENTS;
        try (Connection c = SendersDatabase.autoCommitting(dataSource.getConnection());
             PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, send.messageId());
            s.setString(2, send.provider());
            s.setString(3, tenant.organizationId());
            List<Event> events = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    events.add(new Event(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), time(rs, 7), time(rs, 8)));
                }
            }
            return events;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the email's events: " + e.getMessage(), e);
        }
    }

    private List<Send> query(String sql, List<Object> params, boolean customPlan) {
        try (Connection c = SendersDatabase.autoCommitting(dataSource.getConnection());
             PreparedStatement s = c.prepareStatement(sql)) {
            if (customPlan && s.isWrapperFor(PGStatement.class)) {
                // never a named server-side statement, whose generic plan would ignore the prefix's selectivity
                s.unwrap(PGStatement.class).setPrepareThreshold(0);
            }
            for (int i = 0; i < params.size(); i++) {
                s.setObject(i + 1, params.get(i));
            }
            List<Send> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Send(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            time(rs, 10), time(rs, 11), rs.getString(12), time(rs, 13)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the organization's sends: " + e.getMessage(), e);
        }
    }

    private static OffsetDateTime time(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /**
     * The least string greater than every string that starts with {@code prefix}, in the byte-wise order of UTF-8
     * (which is code point order): the prefix with its last code point incremented.
     */
    static String successor(String prefix) {
        int[] points = prefix.codePoints().toArray();
        for (int i = points.length - 1; i >= 0; i--) {
            int next = points[i] + 1;
            if (next >= Character.MIN_SURROGATE && next <= Character.MAX_SURROGATE) {
                next = Character.MAX_SURROGATE + 1;
            }
            if (next <= Character.MAX_CODE_POINT) {
                points[i] = next;
                return new String(points, 0, i + 1);
            }
        }
        // only U+10FFFF: nothing is greater; no recipient starts with it anyway
        return prefix + "\uFFFF";
    }

    /**
     * Where a page ends: the last row's creation time (to the microsecond, as PostgreSQL keeps it) and id; opaque to
     * the client (base64url of {@code micros.id}).
     */
    record Key(OffsetDateTime createdAt, long id) {

        String encode() {
            long micros = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt.toInstant());
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((micros + "." + id).getBytes(StandardCharsets.US_ASCII));
        }

        static Key parse(String cursor) {
            try {
                if (cursor.length() > 64) {
                    throw new IllegalArgumentException("too long");
                }
                String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
                int dot = text.indexOf('.');
                long micros = Long.parseLong(text.substring(0, dot));
                long id = Long.parseLong(text.substring(dot + 1));
                if (id < 1) {
                    throw new IllegalArgumentException("id");
                }
                Instant at = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
                return new Key(at.atOffset(ZoneOffset.UTC), id);
            } catch (RuntimeException e) {
                throw SendersProblem.invalid("cursor", "malformed",
                        "cursor must be the next value of a page as the API returned it");
            }
        }
    }
}
