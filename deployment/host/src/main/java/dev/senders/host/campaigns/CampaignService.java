package dev.senders.host.campaigns;

import dev.senders.api.sending.EmailProviderFactory;
import dev.senders.api.sending.ProviderName;
import dev.senders.host.persistence.HostDatabase;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The host's campaigns: creating one with its recipients, starting it, and reading them back with counts.
 *
 * <p>Plain JDBC on the host's own (non-XA) data source, in short local transactions. The class is
 * {@code NOT_SUPPORTED} so that a caller's JTA transaction (the Senders module's, say) is suspended instead of
 * enlisting the host's connections in it.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.NOT_SUPPORTED)
public class CampaignService {

    public static final int MAX_RECIPIENTS = 10_000;

    static final List<String> STATUSES = List.of("queued", "sending", "sent", "failed", "suppressed", "unknown");

    static final String NO_VERIFIED_DOMAIN = "Your organization has no verified sending domain yet; the campaign"
            + " will go out through the platform's shared domain with your address as Reply-To.";
    static final String NO_DEFAULT_SENDER = "Your organization has no verified default sender; the campaign will go"
            + " out through the platform's shared domain with your address as Reply-To.";
    static final String DOMAIN_NOT_VERIFIED = "This sender's domain isn't verified for your organization; the"
            + " campaign will go out through the platform's shared domain with your address as Reply-To.";

    private static final Pattern ADDRESS = Pattern.compile("[^\\s@<>\",;:()\\[\\]\\\\]+@[^\\s@<>\",;:()\\[\\]\\\\]+\\.[^\\s@<>\",;:()\\[\\]\\\\.]+");

    @Resource(lookup = HostDatabase.JNDI_NAME)
    DataSource dataSource;

    @Inject
    EmailProviderFactory providers;

    @Inject
    CampaignSender sender;

    /** What a host user asks for; validated by {@link #create}. */
    public record NewCampaign(String name, String senderEmail, String senderName, String subject, String html,
                              List<String> recipients) {
    }

    /** Creates a draft campaign and its queued items (duplicates removed, case-insensitively). */
    public Campaign create(String organizationId, NewCampaign request) {
        String name = required("name", request.name(), 255);
        String senderEmail = address("senderEmail", request.senderEmail());
        String senderName = optional("senderName", request.senderName(), 255);
        String subject = required("subject", request.subject(), 998);
        String html = request.html() == null ? "" : request.html();
        if (html.isBlank()) {
            throw CampaignException.invalid("html is required");
        }
        Set<String> recipients = recipients(request.recipients());
        String warning = fallbackWarning(organizationId, senderEmail).orElse(null);

        long id;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (var insert = c.prepareStatement("insert into campaigns (organization_id, name, sender_email,"
                        + " sender_name, subject, html, status, warning) values (?,?,?,?,?,?, 'draft', ?) returning id")) {
                    insert.setString(1, organizationId);
                    insert.setString(2, name);
                    insert.setString(3, senderEmail);
                    insert.setString(4, senderName);
                    insert.setString(5, subject);
                    insert.setString(6, html);
                    insert.setString(7, warning);
                    try (ResultSet rs = insert.executeQuery()) {
                        rs.next();
                        id = rs.getLong(1);
                    }
                }
                try (var items = c.prepareStatement(
                        "insert into campaign_items (campaign_id, organization_id, recipient) values (?,?,?)")) {
                    for (String recipient : recipients) {
                        items.setLong(1, id);
                        items.setString(2, organizationId);
                        items.setString(3, recipient);
                        items.addBatch();
                    }
                    items.executeBatch();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the campaign", e);
        }
        return find(organizationId, id).orElseThrow();
    }

    /**
     * Starts a draft campaign of the organization: it becomes 'sending' and its items go out in the background.
     * Returns at once. The fallback warning is worked out again, as the organization's senders may have changed.
     */
    public Campaign start(String organizationId, long campaignId) {
        Campaign campaign = find(organizationId, campaignId).orElseThrow(CampaignException::notFound);
        if (!"draft".equals(campaign.status())) {
            throw new CampaignException(409, "The campaign is " + campaign.status() + "; only a draft can be started");
        }
        String warning = fallbackWarning(organizationId, campaign.senderEmail()).orElse(null);
        int updated;
        try (Connection c = dataSource.getConnection(); var update = c.prepareStatement("update campaigns"
                + " set status = 'sending', started_at = now(), warning = ?"
                + " where id = ? and organization_id = ? and status = 'draft'")) {
            update.setString(1, warning);
            update.setLong(2, campaignId);
            update.setString(3, organizationId);
            updated = update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not start the campaign", e);
        }
        if (updated == 0) {
            throw new CampaignException(409, "The campaign was started already");
        }
        sender.submit(campaignId);
        return find(organizationId, campaignId).orElseThrow();
    }

    /**
     * Why the campaign will not go out through SES from the organization's own domain, or empty when it will.
     * The Senders module decides per message anyway; this is the warning shown beforehand (epic V3.6).
     */
    public Optional<String> fallbackWarning(String organizationId, String senderEmail) {
        if (!providers.hasVerifiedDomain(organizationId)) {
            return Optional.of(NO_VERIFIED_DOMAIN);
        }
        if (providers.providerFor(organizationId).providerName() != ProviderName.SES) {
            return Optional.of(NO_DEFAULT_SENDER);
        }
        if (providers.providerFor(organizationId, senderEmail).providerName() != ProviderName.SES) {
            return Optional.of(DOMAIN_NOT_VERIFIED);
        }
        return Optional.empty();
    }

    /** The organization's latest campaigns, newest first. */
    public List<Campaign> list(String organizationId, int limit) {
        return query("c.organization_id = ? order by c.id desc limit " + Math.max(1, Math.min(limit, 500)),
                organizationId, null);
    }

    public Optional<Campaign> find(String organizationId, long campaignId) {
        return query("c.organization_id = ? and c.id = ?", organizationId, campaignId).stream().findFirst();
    }

    private List<Campaign> query(String where, String organizationId, Long campaignId) {
        String sql = "select c.id, c.organization_id, c.name, c.status, c.sender_email, c.sender_name, c.subject,"
                + " c.warning, c.created_at, c.started_at, c.completed_at,"
                + " (select count(*) from campaign_items i where i.campaign_id = c.id) as total,"
                + " (select count(*) from campaign_items i where i.campaign_id = c.id and i.warning is not null) as warned"
                + " from campaigns c where " + where;
        List<Campaign> found = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            Map<Long, Map<String, Integer>> counts = new LinkedHashMap<>();
            Map<Long, Map<String, Integer>> byProvider = new LinkedHashMap<>();
            List<Object[]> rows = new ArrayList<>();
            try (var q = c.prepareStatement(sql)) {
                q.setString(1, organizationId);
                if (campaignId != null) {
                    q.setLong(2, campaignId);
                }
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Object[]{rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                                instant(rs.getTimestamp(9)), instant(rs.getTimestamp(10)),
                                instant(rs.getTimestamp(11)), rs.getInt(12), rs.getInt(13)});
                    }
                }
            }
            if (rows.isEmpty()) {
                return found;
            }
            Long[] ids = rows.stream().map(r -> (Long) r[0]).toArray(Long[]::new);
            try (var q = c.prepareStatement("select campaign_id, status, provider_used, count(*) from campaign_items"
                    + " where campaign_id = any(?) group by campaign_id, status, provider_used")) {
                q.setArray(1, c.createArrayOf("bigint", ids));
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        int n = rs.getInt(4);
                        counts.computeIfAbsent(id, k -> new LinkedHashMap<>()).merge(rs.getString(2), n, Integer::sum);
                        String provider = rs.getString(3);
                        if (provider != null) {
                            byProvider.computeIfAbsent(id, k -> new java.util.TreeMap<>()).merge(provider, n, Integer::sum);
                        }
                    }
                }
            }
            for (Object[] r : rows) {
                long id = (Long) r[0];
                Map<String, Integer> perStatus = new LinkedHashMap<>();
                STATUSES.forEach(s -> perStatus.put(s, counts.getOrDefault(id, Map.of()).getOrDefault(s, 0)));
                found.add(new Campaign(id, (String) r[1], (String) r[2], (String) r[3], (String) r[4], (String) r[5],
                        (String) r[6], (String) r[7], (Instant) r[8], (Instant) r[9], (Instant) r[10], (Integer) r[11],
                        Map.copyOf(perStatus), Map.copyOf(byProvider.getOrDefault(id, Map.of())), (Integer) r[12]));
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read campaigns", e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String required(String field, String value, int max) {
        String v = optional(field, value, max);
        if (v == null) {
            throw CampaignException.invalid(field + " is required");
        }
        return v;
    }

    private static String optional(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (v.length() > max) {
            throw CampaignException.invalid(field + " is longer than " + max + " characters");
        }
        if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
            throw CampaignException.invalid(field + " must be on one line");
        }
        return v;
    }

    private static String address(String field, String value) {
        String v = required(field, value, 320);
        if (!ADDRESS.matcher(v).matches()) {
            throw CampaignException.invalid(field + " is not an email address: " + v);
        }
        int at = v.lastIndexOf('@');
        return v.substring(0, at) + "@" + v.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    private static Set<String> recipients(List<String> given) {
        if (given == null || given.isEmpty()) {
            throw CampaignException.invalid("recipients are required");
        }
        Map<String, String> unique = new LinkedHashMap<>();
        for (String r : given) {
            String v = address("recipient", r);
            unique.putIfAbsent(v.toLowerCase(Locale.ROOT), v);
        }
        if (unique.size() > MAX_RECIPIENTS) {
            throw CampaignException.invalid("at most " + MAX_RECIPIENTS + " recipients per campaign");
        }
        return new LinkedHashSet<>(unique.values());
    }
}
