package dev.senders.sandbox;

import com.sun.net.httpserver.HttpExchange;
import dev.senders.sandbox.dns.DomainRecords;
import dev.senders.sandbox.dns.LoopbackDnsServer;
import dev.senders.sandbox.dns.LoopbackZones;
import dev.senders.sandbox.dns.Publication;
import dev.senders.sandbox.dns.SesDomainPublisher;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sandbox DNS zone's page and control endpoints, served by the SES stub under {@code /_stub/dns}: what the
 * loopback DNS server answers, a button per domain to publish its records correctly or with a common mistake (so the
 * Senders page shows its diagnoses and advice), and a form to publish a record by hand (e.g. the organization's
 * ownership TXT). Forms post back here and are redirected to the page; the same endpoints take JSON.
 */
final class DnsControlPage implements StubServer.Control {

    static final String PATH = "dns";
    private static final String MANUAL = "manual";
    private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final LoopbackDnsServer server;
    private final SesDomainPublisher publisher;

    DnsControlPage(LoopbackDnsServer server, SesDomainPublisher publisher) {
        this.server = server;
        this.publisher = publisher;
    }

    @Override
    public List<String> help() {
        return List.of(
                "GET  /_stub/dns          - the loopback DNS zone (" + server.address() + "): records, mistakes to publish",
                "GET  /_stub/dns.json     - the same as JSON",
                "POST /_stub/dns          - {\"domain\":\"acme.com\",\"publication\":\"correct|zone-doubled|proxied-dkim|nothing|ses\",\"zone\":\"acme.com\"}",
                "POST /_stub/dns/records  - {\"name\":\"_senders-verification.acme.com\",\"type\":\"TXT|CNAME|A|MX\",\"value\":\"...\"} (by hand)",
                "POST /_stub/dns/records/clear - removes the records published by hand");
    }

    @Override
    public boolean handle(HttpExchange ex, String sub) throws IOException {
        switch (sub) {
            case PATH, PATH + "/" -> {
                if (StubServer.isPost(ex)) {
                    Map<String, String> in = input(ex);
                    String domain = required(in, "domain");
                    String publication = required(in, "publication");
                    if (publication.equalsIgnoreCase("ses")) {
                        publisher.followSes(domain);
                    } else {
                        publisher.publish(domain, Publication.of(publication), in.get("zone"));
                    }
                    done(ex);
                } else if (StubServer.requireGet(ex)) {
                    page(ex);
                }
                return true;
            }
            case PATH + ".json" -> {
                if (StubServer.requireGet(ex)) {
                    StubServer.sendJson(ex, 200, json(), true);
                }
                return true;
            }
            case PATH + "/records" -> {
                if (!StubServer.isPost(ex)) {
                    ex.getResponseHeaders().set("Allow", "POST");
                    StubServer.sendText(ex, 405, "text/plain; charset=utf-8", "method not allowed");
                    return true;
                }
                Map<String, String> in = input(ex);
                server.zones().add(MANUAL, record(required(in, "name"), required(in, "type"), required(in, "value")));
                done(ex);
                return true;
            }
            case PATH + "/records/clear" -> {
                if (!StubServer.isPost(ex)) {
                    ex.getResponseHeaders().set("Allow", "POST");
                    StubServer.sendText(ex, 405, "text/plain; charset=utf-8", "method not allowed");
                    return true;
                }
                server.zones().publish(MANUAL, List.of());
                done(ex);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** A record typed by hand: TXT, CNAME, A, or MX ({@code 10 mail.acme.com}). */
    static Record record(String name, String type, String value) {
        Name n = LoopbackZones.name(name);
        String v = value.strip();
        return switch (type.strip().toUpperCase(Locale.ROOT)) {
            case "TXT" -> DomainRecords.txt(n, value);
            case "CNAME" -> new CNAMERecord(n, DClass.IN, LoopbackZones.TTL, LoopbackZones.name(v));
            case "A" -> DomainRecords.a(n, v);
            case "MX" -> {
                String[] parts = v.split("\\s+");
                if (parts.length != 2) {
                    throw new IllegalArgumentException("an MX value is '<priority> <host>', got " + v);
                }
                yield new MXRecord(n, DClass.IN, LoopbackZones.TTL, Integer.parseInt(parts[0]),
                        LoopbackZones.name(parts[1]));
            }
            default -> throw new IllegalArgumentException("type must be TXT, CNAME, A or MX, got " + type);
        };
    }

    private static Map<String, String> input(HttpExchange ex) throws IOException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return StubServer.parseForm(new String(StubServer.readBody(ex), StandardCharsets.UTF_8));
        }
        JsonObject body = StubServer.readJsonObject(ex);
        Map<String, String> in = new java.util.LinkedHashMap<>();
        body.forEach((k, v) -> in.put(k, v.getValueType() == jakarta.json.JsonValue.ValueType.STRING
                ? body.getString(k) : v.toString()));
        return in;
    }

    private static String required(Map<String, String> in, String name) {
        String v = in.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return v;
    }

    /** A form goes back to the page (303); JSON gets the zone's state. */
    private void done(HttpExchange ex) throws IOException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            ex.getResponseHeaders().set("Location", "/_stub/" + PATH);
            StubServer.send(ex, 303, null, null);
        } else {
            StubServer.sendJson(ex, 200, json(), true);
        }
    }

    private JsonObject json() {
        JsonArrayBuilder domains = Json.array();
        for (SesDomainPublisher.State s : publisher.states()) {
            domains.add(Json.object().add("domain", s.domain()).add("zone", s.zone())
                    .add("publication", s.publication().id()).add("chosen", s.chosen())
                    .add("sesStatus", s.sesStatus() == null ? "" : s.sesStatus()));
        }
        JsonArrayBuilder records = Json.array();
        server.zones().published().forEach((source, list) -> list.forEach(r -> records.add(Json.object()
                .add("source", source).add("name", LoopbackZones.text(r.getName()))
                .add("type", Type.string(r.getType())).add("value", value(r)))));
        return Json.object().add("server", server.address())
                .add("zones", Json.strings(server.zones().zones()))
                .add("domains", domains).add("records", records).build();
    }

    static String value(Record r) {
        return r instanceof TXTRecord txt ? String.join("", txt.getStrings()) : r.rdataToString();
    }

    private void page(HttpExchange ex) throws IOException {
        StringBuilder sb = MailViewer.head("Sandbox DNS", false);
        sb.append("<h1>Sandbox DNS</h1><p class=\"muted\">The loopback DNS server at <code>")
                .append(MailViewer.esc(server.address())).append("</code> (UDP and TCP) answers for the domains below,")
                .append(" as their DNS provider would. Once the local Amazon SES has verified a domain, its records are")
                .append(" published here. Publish a mistake, then open the sender on the Senders page to see what the")
                .append(" checks find and what they advise.</p>");
        List<SesDomainPublisher.State> states = publisher.states();
        if (states.isEmpty()) {
            sb.append("<p>No domain yet: add a sender on the Senders page.</p>");
        }
        for (SesDomainPublisher.State s : states) {
            sb.append("<h2>").append(MailViewer.esc(s.domain())).append("</h2><p>Published: <b>")
                    .append(MailViewer.esc(s.publication().label().replace("Publish the records correctly",
                            "the records, correctly")))
                    .append("</b>").append(s.chosen() ? " (chosen here)" : " (follows Amazon SES: "
                            + MailViewer.esc(s.sesStatus() == null ? "unknown" : s.sesStatus()) + ")")
                    .append("</p><form method=\"post\" action=\"/_stub/dns\">")
                    .append("<input type=\"hidden\" name=\"domain\" value=\"").append(MailViewer.esc(s.domain()))
                    .append("\"><label>Zone <input name=\"zone\" value=\"").append(MailViewer.esc(s.zone()))
                    .append("\" size=\"24\"></label> ");
            for (Publication p : Publication.values()) {
                sb.append("<button name=\"publication\" value=\"").append(p.id()).append("\">")
                        .append(MailViewer.esc(p.label())).append("</button> ");
            }
            sb.append("<button name=\"publication\" value=\"ses\">Follow Amazon SES</button></form>");
            records(sb, server.zones().published("ses:" + s.domain()));
        }
        sb.append("<h2>Published by hand</h2>");
        records(sb, server.zones().published(MANUAL));
        sb.append("<form method=\"post\" action=\"/_stub/dns/records\"><label>Name <input name=\"name\" size=\"40\"")
                .append(" placeholder=\"_senders-verification.acme.com\"></label> <label>Type <select name=\"type\">")
                .append("<option>TXT</option><option>CNAME</option><option>A</option><option>MX</option></select>")
                .append("</label> <label>Value <input name=\"value\" size=\"40\"></label> <button>Publish</button>")
                .append("</form><form method=\"post\" action=\"/_stub/dns/records/clear\"><button>Remove the records")
                .append(" published by hand</button></form>");
        sb.append("<p class=\"muted\">Zones served: ").append(MailViewer.esc(String.join(", ", server.zones().zones())))
                .append(". Any other name is REFUSED. <a href=\"/_stub/dns.json\">JSON</a></p></body></html>");
        ex.getResponseHeaders().set("Content-Security-Policy", CSP);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        StubServer.sendText(ex, 200, "text/html; charset=utf-8", sb.toString());
    }

    private static void records(StringBuilder sb, List<Record> records) {
        if (records.isEmpty()) {
            sb.append("<p class=\"muted\">No records.</p>");
            return;
        }
        sb.append("<table><thead><tr><th>Name</th><th>Type</th><th>Value</th></tr></thead><tbody>");
        for (Record r : records) {
            sb.append("<tr><td class=\"t\">").append(MailViewer.esc(LoopbackZones.text(r.getName())))
                    .append("</td><td>").append(Type.string(r.getType())).append("</td><td class=\"t\">")
                    .append(MailViewer.esc(value(r))).append("</td></tr>");
        }
        sb.append("</tbody></table>");
    }
}
