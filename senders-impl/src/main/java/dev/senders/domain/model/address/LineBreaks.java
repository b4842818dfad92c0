package dev.senders.domain.model.address;

import java.util.regex.Pattern;

/**
 * Line breaks in typed input, the header-injection attempt behind every "line-break" refusal: raw (CR, LF, NEL,
 * U+2028, U+2029) or written out as text that some layer on the way would turn into one.
 */
public final class LineBreaks {

    /**
     * Escaped line breaks, case-insensitively: percent-encoded ({@code %0d}, {@code %0a}, {@code %c2%85},
     * {@code %e2%80%a8}, {@code %e2%80%a9}), backslash escapes ({@code \r}, {@code \n}, {@code \u000d},
     * {@code \u000a}, {@code \u0085}, {@code \u2028}, {@code \u2029}, {@code \x0d}, {@code \x0a}) and HTML character
     * references ({@code &#13;}, {@code &#10;}, {@code &#xd;}, {@code &#xa;}, {@code &NewLine;}).
     */
    private static final Pattern ESCAPED = Pattern.compile("%0[da]|%c2%85|%e2%80%a[89]"
            + "|\\\\[rn]|\\\\u(?:000[da]|0085|202[89])|\\\\x0[da]"
            + "|&#0*1[03](?![0-9])|&#x0*[da](?![0-9a-f])|&newline;", Pattern.CASE_INSENSITIVE);

    private LineBreaks() {
    }

    /** CR, LF, NEL, LINE SEPARATOR or PARAGRAPH SEPARATOR. */
    public static boolean isLineBreak(int c) {
        return c == '\r' || c == '\n' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    /** Whether {@code s} has a raw line break anywhere, even at the ends. */
    public static boolean containsRaw(String s) {
        return s != null && s.chars().anyMatch(LineBreaks::isLineBreak);
    }

    /** Whether {@code s} has a line break written out as an escape (see the class's list). */
    public static boolean containsEscaped(String s) {
        return s != null && ESCAPED.matcher(s).find();
    }
}
