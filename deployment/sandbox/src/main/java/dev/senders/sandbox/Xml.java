package dev.senders.sandbox;

/**
 * Minimal, allocation-light XML writer for the SES Query-protocol responses. Text and attribute values
 * are escaped; characters that are not allowed in XML 1.0 are dropped.
 */
final class Xml {
    private final StringBuilder sb = new StringBuilder(512);
    private final java.util.ArrayDeque<String> open = new java.util.ArrayDeque<>();

    Xml() {
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }

    Xml start(String name) {
        sb.append('<').append(name).append('>');
        open.push(name);
        return this;
    }

    Xml start(String name, String xmlns) {
        sb.append('<').append(name).append(" xmlns=\"").append(escape(xmlns)).append("\">");
        open.push(name);
        return this;
    }

    Xml end() {
        sb.append("</").append(open.pop()).append('>');
        return this;
    }

    /** Writes {@code <name>text</name>}; nothing at all when {@code text} is null. */
    Xml elem(String name, Object text) {
        if (text == null) {
            return this;
        }
        sb.append('<').append(name).append('>').append(escape(String.valueOf(text))).append("</").append(name).append('>');
        return this;
    }

    /** Writes a Query-protocol list: {@code <name><member>a</member>...</name>}. */
    Xml members(String name, Iterable<String> values) {
        start(name);
        for (String v : values) {
            elem("member", v);
        }
        return end();
    }

    @Override
    public String toString() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("unclosed elements " + open);
        }
        return sb.toString();
    }

    static String escape(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&apos;";
                default -> allowed(c) ? null : "";
            };
            if (rep != null && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (rep != null) {
                    out.append(rep);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }

    private static boolean allowed(char c) {
        return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || Character.isSurrogate(c)
                || (c >= 0xE000 && c <= 0xFFFD);
    }
}
