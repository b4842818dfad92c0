package dev.senders.sandbox;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;

/**
 * The {@code /_stub/mail} pages. Everything taken from a message is HTML-escaped; an HTML body is shown
 * in an {@code <iframe sandbox srcdoc=...>} (no scripts, no same-origin, and the page's CSP forbids any
 * remote load), so opening a hostile message is harmless.
 */
final class MailViewer {
    private static final String CSP =
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";
    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}
            table{border-collapse:collapse;width:100%}
            th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
            th{background:#f4f4f4}
            td.t{white-space:nowrap;font-family:monospace}
            pre{white-space:pre-wrap;background:#f8f8f8;border:1px solid #ddd;padding:.75rem}
            iframe{width:100%;height:60vh;border:1px solid #bbb;background:#fff}
            .muted{color:#777}
            """;

    private MailViewer() {
    }

    static void sendList(HttpExchange ex, String title, List<MailView> mails) throws IOException {
        List<MailView> sorted = mails.stream().sorted(Comparator.comparing(MailView::time).reversed()).toList();
        StringBuilder sb = head(title + " — accepted mail", true);
        sb.append("<h1>").append(esc(title)).append(" — accepted mail</h1>");
        sb.append("<p class=\"muted\">").append(sorted.size()).append(sorted.size() == 1 ? " message" : " messages")
                .append(", newest first. This page refreshes every 5 seconds. <a href=\"/_stub/mail.json\">JSON</a></p>");
        if (sorted.isEmpty()) {
            sb.append("<p>Nothing has been sent yet.</p>");
        } else {
            sb.append("<table><thead><tr><th>Time (UTC)</th><th>From</th><th>To</th><th>Subject</th></tr></thead><tbody>");
            for (MailView m : sorted) {
                sb.append("<tr><td class=\"t\">").append(esc(time(m.time()))).append("</td><td>").append(esc(m.from()))
                        .append("</td><td>").append(esc(String.join(", ", m.to()))).append("</td><td><a href=\"/_stub/mail/")
                        .append(esc(URLEncoder.encode(m.id(), StandardCharsets.UTF_8))).append("\">")
                        .append(m.subject() == null || m.subject().isEmpty() ? "<i>(no subject)</i>" : esc(m.subject()))
                        .append("</a></td></tr>");
            }
            sb.append("</tbody></table>");
        }
        sb.append("</body></html>");
        sendHtml(ex, 200, sb);
    }

    static void sendDetail(HttpExchange ex, String title, List<MailView> mails, String rawId) throws IOException {
        String id = URLDecoder.decode(rawId, StandardCharsets.UTF_8);
        MailView m = mails.stream().filter(v -> v.id().equals(id)).findFirst().orElse(null);
        if (m == null) {
            StringBuilder sb = head("Not found", false);
            sb.append("<p>No message with id <code>").append(esc(id)).append("</code>. <a href=\"/_stub/mail\">Back</a></p></body></html>");
            sendHtml(ex, 404, sb);
            return;
        }
        StringBuilder sb = head(title + " — " + (m.subject() == null ? "" : m.subject()), false);
        sb.append("<p><a href=\"/_stub/mail\">&larr; all mail</a></p>");
        sb.append("<h1>").append(esc(m.subject() == null ? "" : m.subject())).append("</h1><table>");
        row(sb, "Message id", m.id());
        row(sb, "Time (UTC)", time(m.time()));
        row(sb, "From", m.from());
        row(sb, "To", String.join(", ", m.to()));
        if (!m.cc().isEmpty()) {
            row(sb, "Cc", String.join(", ", m.cc()));
        }
        if (!m.bcc().isEmpty()) {
            row(sb, "Bcc", String.join(", ", m.bcc()));
        }
        if (!m.replyTo().isEmpty()) {
            row(sb, "Reply-To", String.join(", ", m.replyTo()));
        }
        if (m.details() != null && !m.details().isEmpty()) {
            row(sb, "Details", m.details());
        }
        sb.append("</table>");
        if (m.html() != null) {
            sb.append("<h2>HTML part</h2><iframe sandbox=\"\" referrerpolicy=\"no-referrer\" title=\"HTML body\" srcdoc=\"")
                    .append(esc(m.html())).append("\"></iframe>");
            sb.append("<details><summary>HTML source</summary><pre>").append(esc(m.html())).append("</pre></details>");
        }
        if (m.text() != null) {
            sb.append("<h2>Text part</h2><pre>").append(esc(m.text())).append("</pre>");
        }
        if (m.html() == null && m.text() == null) {
            sb.append("<p class=\"muted\">No body.</p>");
        }
        sb.append("</body></html>");
        sendHtml(ex, 200, sb);
    }

    private static void row(StringBuilder sb, String k, String v) {
        sb.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v == null ? "" : v)).append("</td></tr>");
    }

    static StringBuilder head(String title, boolean refresh) {
        StringBuilder sb = new StringBuilder(4096);
        // an empty icon: the browser asks the stub for no favicon.ico (the CSP allows data: images)
        sb.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\">");
        if (refresh) {
            sb.append("<meta http-equiv=\"refresh\" content=\"5\">");
        }
        sb.append("<title>").append(esc(title)).append("</title><style>").append(STYLE).append("</style></head><body>");
        return sb;
    }

    static void sendHtml(HttpExchange ex, int status, StringBuilder page) throws IOException {
        ex.getResponseHeaders().set("Content-Security-Policy", CSP);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        StubServer.sendText(ex, status, "text/html; charset=utf-8", page.toString());
    }

    private static String time(Instant t) {
        return t == null ? "" : t.truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ').replace("Z", "");
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
