package dev.senders.sandbox.dns;

import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The data of the loopback DNS server and how it answers, as an authoritative server does: the zones it serves (an
 * apex and everything under it) and the records published in them, grouped by who published them (a source such as
 * {@code ses:acme.com} or {@code manual}), so that one source's records can be replaced at once.
 * <ul>
 *     <li>a name outside every zone: REFUSED (not this server's business, as a real authoritative server answers);</li>
 *     <li>records of the asked type: NOERROR with them;</li>
 *     <li>a CNAME at the name (and another type asked): the CNAME, followed while its target is in a zone here;</li>
 *     <li>a name that exists (records of other types, names below it, or the apex) but nothing of that type: NOERROR
 *     without answers (NODATA), the zone's SOA in the authority section;</li>
 *     <li>anything else under a zone: NXDOMAIN, with the SOA.</li>
 * </ul>
 * Thread-safe: changes are serialized and each answer reads one consistent snapshot.
 */
public final class LoopbackZones {

    /** The TTL of published records; negative answers may be kept {@link #NEGATIVE_TTL} seconds. */
    public static final long TTL = 60;
    public static final long NEGATIVE_TTL = 0;
    private static final Name SERVER = name("localhost");
    private static final Name HOSTMASTER = name("hostmaster.localhost");
    private static final int MAX_CNAME_HOPS = 8;

    private record Snapshot(List<Name> apexes, Map<Name, List<Record>> records) {
    }

    private final Set<Name> apexes = new LinkedHashSet<>();
    private final Map<String, List<Record>> bySource = new LinkedHashMap<>();
    private volatile Snapshot snapshot = new Snapshot(List.of(), Map.of());

    /** Serves the zone {@code apex} (e.g. {@code acme.com}) from now on; without records every name in it is NXDOMAIN. */
    public synchronized void addZone(String apex) {
        if (apexes.add(name(apex))) {
            rebuild();
        }
    }

    /** Replaces the records of {@code source} (none: removes them). Each must be in a zone served here. */
    public synchronized void publish(String source, List<Record> records) {
        for (Record r : records) {
            if (apexOf(List.copyOf(apexes), r.getName()) == null) {
                throw new IllegalArgumentException(r.getName() + " is in no zone served here " + zones());
            }
        }
        if (records.isEmpty()) {
            bySource.remove(source);
        } else {
            bySource.put(source, List.copyOf(records));
        }
        rebuild();
    }

    /** Adds one record to those of {@code source}. */
    public synchronized void add(String source, Record record) {
        List<Record> now = new ArrayList<>(bySource.getOrDefault(source, List.of()));
        now.add(record);
        publish(source, now);
    }

    /** The zones served, apexes without the final dot, in the order they were added. */
    public synchronized List<String> zones() {
        return apexes.stream().map(LoopbackZones::text).toList();
    }

    /** The records each source has published. */
    public synchronized Map<String, List<Record>> published() {
        return Map.copyOf(bySource);
    }

    /** The records of {@code source} (empty when it published none). */
    public synchronized List<Record> published(String source) {
        return bySource.getOrDefault(source, List.of());
    }

    private void rebuild() {
        Map<Name, List<Record>> index = new HashMap<>();
        for (List<Record> records : bySource.values()) {
            for (Record r : records) {
                index.computeIfAbsent(r.getName().canonicalize(), n -> new ArrayList<>()).add(r);
            }
        }
        index.replaceAll((n, list) -> List.copyOf(list));
        List<Name> sorted = apexes.stream().sorted(Comparator.comparingInt(Name::labels).reversed()).toList();
        snapshot = new Snapshot(sorted, Map.copyOf(index));
    }

    /** The answer to {@code query}, as an authoritative server for the zones here gives it. */
    public Message answer(Message query) {
        Snapshot data = snapshot;
        Message response = new Message(query.getHeader().getID());
        Header header = response.getHeader();
        header.setFlag(Flags.QR);
        if (query.getHeader().getFlag(Flags.RD)) {
            header.setFlag(Flags.RD);
        }
        header.setOpcode(query.getHeader().getOpcode());
        Record question = query.getQuestion();
        if (question == null) {
            header.setRcode(Rcode.FORMERR);
            return response;
        }
        response.addRecord(question, Section.QUESTION);
        if (query.getHeader().getOpcode() != Opcode.QUERY) {
            header.setRcode(Rcode.NOTIMP);
            return response;
        }
        Name apex = apexOf(data.apexes(), question.getName());
        if (apex == null || (question.getDClass() != DClass.IN && question.getDClass() != DClass.ANY)) {
            header.setRcode(Rcode.REFUSED);
            return response;
        }
        header.setFlag(Flags.AA);
        int type = question.getType();
        Name name = question.getName();
        for (int hop = 0; hop < MAX_CNAME_HOPS; hop++) {
            List<Record> at = records(data, name, apex);
            List<Record> matching = at.stream().filter(r -> type == Type.ANY || r.getType() == type).toList();
            if (!matching.isEmpty()) {
                matching.forEach(r -> response.addRecord(r, Section.ANSWER));
                return response;
            }
            CNAMERecord cname = (CNAMERecord) at.stream().filter(r -> r.getType() == Type.CNAME).findFirst()
                    .orElse(null);
            if (cname != null) {
                response.addRecord(cname, Section.ANSWER);
                Name targetApex = apexOf(data.apexes(), cname.getTarget());
                if (targetApex == null) {
                    return response; // the asker's resolver follows it elsewhere
                }
                name = cname.getTarget();
                apex = targetApex;
                continue;
            }
            if (at.isEmpty() && !hasNamesBelow(data, name)) {
                header.setRcode(Rcode.NXDOMAIN);
            }
            response.addRecord(soa(apex), Section.AUTHORITY);
            return response;
        }
        header.setRcode(Rcode.SERVFAIL);
        return response;
    }

    /** The records at {@code name}; at the apex also its SOA and NS, as every zone has them. */
    private static List<Record> records(Snapshot data, Name name, Name apex) {
        List<Record> at = data.records().getOrDefault(name.canonicalize(), List.of());
        if (!name.equals(apex)) {
            return at;
        }
        List<Record> withApex = new ArrayList<>(at);
        withApex.add(soa(apex));
        withApex.add(new NSRecord(apex, DClass.IN, TTL, SERVER));
        return withApex;
    }

    private static boolean hasNamesBelow(Snapshot data, Name name) {
        return data.records().keySet().stream().anyMatch(n -> !n.equals(name) && n.subdomain(name));
    }

    private static Name apexOf(List<Name> apexes, Name name) {
        Name best = null;
        for (Name apex : apexes) {
            if (name.subdomain(apex) && (best == null || apex.labels() > best.labels())) {
                best = apex;
            }
        }
        return best;
    }

    private static SOARecord soa(Name apex) {
        return new SOARecord(apex, DClass.IN, TTL, SERVER, HOSTMASTER, 1, 3600, 600, 86400, NEGATIVE_TTL);
    }

    /** {@code acme.com} or {@code acme.com.} as an absolute name. */
    public static Name name(String text) {
        String t = text.strip();
        try {
            return Name.fromString(t.endsWith(".") ? t : t + ".");
        } catch (org.xbill.DNS.TextParseException e) {
            throw new IllegalArgumentException("not a domain name: " + text, e);
        }
    }

    /** The name as people write it: without the final dot. */
    public static String text(Name name) {
        String s = name.toString();
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
