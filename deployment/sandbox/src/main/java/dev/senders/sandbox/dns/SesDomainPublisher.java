package dev.senders.sandbox.dns;

import dev.senders.sandbox.SesStub;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Plays the organization's DNS admin for the SES stub's domains: every domain the stub is asked to verify gets a zone
 * in {@link LoopbackZones} (so its records read "missing" at first, as on a real domain before anyone published
 * anything), and once the stub has verified it the records SES asks for are published there
 * ({@link DomainRecords}, source {@code ses:<domain>}). A domain can instead be given a {@link Publication} by hand
 * (the control page): then it keeps that, whatever the stub says, until {@link #followSes(String)}.
 * <p>
 * Thread-safe. Register with {@link SesStub#onDomainChange(Consumer)}.
 */
public final class SesDomainPublisher implements Consumer<SesStub.IdentityInfo> {

    private static final String SUCCESS = "Success";

    /** What is published for one domain now, and why. */
    public record State(String domain, String zone, Publication publication, boolean chosen, String sesStatus) {
    }

    private final LoopbackZones zones;
    private final String dkimHost;
    private final String region;
    private final Map<String, SesStub.IdentityInfo> identities = new LinkedHashMap<>();
    private final Map<String, Publication> chosen = new LinkedHashMap<>();
    private final Map<String, String> zoneOf = new LinkedHashMap<>();

    /**
     * @param dkimHost the host the DKIM CNAMEs point to (the module's {@code senders.ses.dkim-domain})
     * @param region   the SES region (a custom MAIL FROM's MX)
     */
    public SesDomainPublisher(LoopbackZones zones, String dkimHost, String region) {
        this.zones = Objects.requireNonNull(zones, "zones");
        this.dkimHost = Objects.requireNonNull(dkimHost, "dkimHost");
        this.region = Objects.requireNonNull(region, "region");
    }

    @Override
    public synchronized void accept(SesStub.IdentityInfo identity) {
        String domain = identity.identity();
        identities.put(domain, identity);
        zones.addZone(domain);
        republish(domain);
    }

    /**
     * Publishes {@code domain}'s records as {@code how} says from now on.
     *
     * @param zone the zone the organization edits, where a doubled name ends ({@code <name>.<zone>}); null: the domain
     */
    public synchronized void publish(String domain, Publication how, String zone) {
        String d = LoopbackZones.text(LoopbackZones.name(domain)).toLowerCase(java.util.Locale.ROOT);
        String z = zone == null || zone.isBlank() ? d
                : LoopbackZones.text(LoopbackZones.name(zone)).toLowerCase(java.util.Locale.ROOT);
        if (!d.equals(z) && !d.endsWith("." + z)) {
            throw new IllegalArgumentException("the zone " + z + " must be " + d + " or a parent of it");
        }
        zones.addZone(d);
        zones.addZone(z);
        chosen.put(d, Objects.requireNonNull(how, "how"));
        zoneOf.put(d, z);
        republish(d);
    }

    /** Back to the default: the records once the SES stub has verified the domain, none before. */
    public synchronized void followSes(String domain) {
        String d = LoopbackZones.text(LoopbackZones.name(domain)).toLowerCase(java.util.Locale.ROOT);
        chosen.remove(d);
        republish(d);
    }

    /** Every domain known here (asked of the SES stub or given a publication), in the order they came. */
    public synchronized List<State> states() {
        java.util.LinkedHashSet<String> domains = new java.util.LinkedHashSet<>(identities.keySet());
        domains.addAll(chosen.keySet());
        return domains.stream().map(this::stateOf).toList();
    }

    public synchronized Optional<State> state(String domain) {
        String d = LoopbackZones.text(LoopbackZones.name(domain)).toLowerCase(java.util.Locale.ROOT);
        return identities.containsKey(d) || chosen.containsKey(d) ? Optional.of(stateOf(d)) : Optional.empty();
    }

    private State stateOf(String domain) {
        SesStub.IdentityInfo identity = identities.get(domain);
        Publication how = chosen.get(domain);
        boolean byHand = how != null;
        if (how == null) {
            how = identity != null && SUCCESS.equals(identity.verificationStatus()) ? Publication.CORRECT
                    : Publication.NOTHING;
        }
        return new State(domain, zoneOf.getOrDefault(domain, domain), how, byHand,
                identity == null ? null : identity.verificationStatus());
    }

    private void republish(String domain) {
        State state = stateOf(domain);
        SesStub.IdentityInfo identity = identities.get(domain);
        List<String> dkimTokens = identity != null && !identity.dkimTokens().isEmpty() ? identity.dkimTokens()
                : SesStub.dkimTokensFor(domain);
        String mailFrom = identity != null && SUCCESS.equals(identity.mailFromDomainStatus())
                ? identity.mailFromDomain() : null;
        zones.publish("ses:" + domain, DomainRecords.of(domain, state.zone(), state.publication(),
                SesStub.verificationTokenFor(domain), dkimTokens, dkimHost, mailFrom, region));
    }
}
