package dev.senders.interfaces.rest;

/**
 * The small HTML pages of the unsubscribe links: the confirmation with its button (a form that POSTs
 * {@code List-Unsubscribe=One-Click} to the link itself), the answer after it, and the refusals. No script and no
 * inline style (the Content-Security-Policy allows neither): one stylesheet, {@value #STYLESHEET}, next to the link.
 * Every value shown is escaped.
 */
final class UnsubscribePage {

    /** The stylesheet, relative to the link ({@code /api/unsubscribe/<token>}). */
    static final String STYLESHEET = "page.css";

    private UnsubscribePage() {
    }

    /** Asks whether to unsubscribe; the button POSTs the one-click body to the page's own URL. */
    static String confirm(String recipient) {
        return page("Unsubscribe", """
                <h1>Unsubscribe</h1>
                <p>Stop emails from this sender to <strong>%s</strong>?</p>
                <form method="post">
                  <input type="hidden" name="%s" value="%s">
                  <button type="submit" id="unsubscribe">Unsubscribe</button>
                </form>
                <p class="note">Nothing changes until you press the button.</p>
                """.formatted(escape(recipient), OneClickBody.FIELD, OneClickBody.ONE_CLICK));
    }

    /** The recipient is unsubscribed (now, or before). */
    static String unsubscribed(String recipient) {
        return page("Unsubscribed", """
                <h1>You are unsubscribed</h1>
                <p><strong>%s</strong> will get no more emails from this sender.</p>
                """.formatted(escape(recipient)));
    }

    /** A refusal: the title and a sentence of what to do. */
    static String refused(String title, String advice) {
        return page(title, """
                <h1>%s</h1>
                <p>%s</p>
                """.formatted(escape(title), escape(advice)));
    }

    private static String page(String title, String body) {
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <meta name="robots" content="noindex, nofollow">
                <title>%s</title>
                <link rel="stylesheet" href="%s">
                </head>
                <body>
                <main class="card">
                %s</main>
                </body>
                </html>
                """.formatted(escape(title), STYLESHEET, body);
    }

    /** The text with HTML's special characters as entities. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
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
