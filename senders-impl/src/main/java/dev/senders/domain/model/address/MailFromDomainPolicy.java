package dev.senders.domain.model.address;

import dev.senders.application.error.SendersProblem;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Validates the custom MAIL FROM domain an organization asks for (the body of {@code POST /api/senders/{id}/mail-from})
 * against its verified domain, and gives the host name to set up. Every violation is a {@link SendersProblem} (400,
 * field {@value #FIELD}) with one of these reasons, checked in this order:
 * <table>
 *   <caption>Reason codes</caption>
 *   <tr><td>{@code line-break}</td><td>CR, LF, NEL, U+2028 or U+2029, or one written out as text ({@code %0d%0a},
 *       {@code \r\n}, {@code &#10;}; {@link LineBreaks})</td></tr>
 *   <tr><td>{@code control-character}</td><td>any other control or invisible format character</td></tr>
 *   <tr><td>{@code trailing-dot}</td><td>{@code mail.acme.com.}</td></tr>
 *   <tr><td>{@code mixed-script}</td><td>a label mixing scripts, e.g. a Cyrillic "а" in {@code mаil}
 *       ({@link Homographs})</td></tr>
 *   <tr><td>{@code homograph}</td><td>a label of Cyrillic or Greek letters that look like Latin ones</td></tr>
 *   <tr><td>{@code invalid-host-name}</td><td>not a host name of letters, digits and hyphens (after IDNA)</td></tr>
 *   <tr><td>{@code too-long}</td><td>a label over 63 or a name over 253 characters</td></tr>
 *   <tr><td>{@code not-a-subdomain}</td><td>not a subdomain of the verified domain (or the domain itself)</td></tr>
 * </table>
 * A single label ({@code bounce}) means that label under the domain; nothing means
 * {@code <defaultPrefix>.<domain>}. Internationalized labels become A-labels.
 */
public final class MailFromDomainPolicy {

    /** The problem field of every rejection. */
    public static final String FIELD = "mailFromDomain";

    private static final Pattern HOST_NAME =
            Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+");

    private MailFromDomainPolicy() {
    }

    /**
     * @param requested     what was asked for, or null/blank for the default
     * @param domain        the sender's verified domain (lower-case A-labels)
     * @param defaultPrefix the label of the default MAIL FROM domain
     * @return the MAIL FROM host name, lower-case A-labels
     * @throws SendersProblem (400, field {@value #FIELD}) with a reason from the class's table
     */
    public static String parse(String requested, String domain, String defaultPrefix) {
        if (requested == null || requested.isBlank()) {
            return defaultPrefix + "." + domain;
        }
        if (LineBreaks.containsRaw(requested) || LineBreaks.containsEscaped(requested)) {
            throw problem("line-break", "The MAIL FROM domain can't contain line breaks");
        }
        String name = requested.strip();
        if (name.codePoints().anyMatch(cp -> Character.getType(cp) == Character.CONTROL
                || Character.getType(cp) == Character.FORMAT)) {
            throw problem("control-character", "The MAIL FROM domain contains a control or invisible character");
        }
        name = name.replace('\u3002', '.').replace('\uFF0E', '.').replace('\uFF61', '.').toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            throw problem("trailing-dot", "The MAIL FROM domain can't end with a dot: enter it without the final dot");
        }
        if (!name.contains(".")) {
            name = name + "." + domain;
        }
        String[] labels = name.split("\\.", -1);
        String tld = labels[labels.length - 1];
        for (String label : labels) {
            switch (Homographs.check(label, tld)) {
                case MIXED_SCRIPT -> throw problem("mixed-script", "A part of the MAIL FROM domain mixes letters"
                        + " from different alphabets, which is used to imitate other domains");
                case WHOLE_SCRIPT_LOOKALIKE -> throw problem("homograph", "A part of the MAIL FROM domain is written"
                        + " in Cyrillic or Greek letters that look like Latin ones, which is used to imitate other"
                        + " domains");
                case NONE -> { }
            }
        }
        String ascii;
        try {
            ascii = IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            // java.net.IDN reports an over-long label only through its message
            if (e.getMessage() != null && e.getMessage().contains("too long")) {
                throw labelTooLong();
            }
            throw invalidHostName();
        }
        if (!HOST_NAME.matcher(ascii).matches()) {
            throw invalidHostName();
        }
        for (String label : ascii.split("\\.")) {
            if (label.length() > 63) {
                throw labelTooLong();
            }
        }
        if (ascii.length() > 253) {
            throw problem("too-long", "The MAIL FROM domain is longer than 253 characters");
        }
        if (ascii.equals(domain) || !SenderAddressPolicy.isSameOrSubdomain(ascii, domain)) {
            throw problem("not-a-subdomain", "The MAIL FROM domain must be a subdomain of " + domain
                    + ", such as mail." + domain);
        }
        return ascii;
    }

    private static SendersProblem labelTooLong() {
        return problem("too-long", "A part of the MAIL FROM domain (between dots) is longer than 63 characters");
    }

    private static SendersProblem invalidHostName() {
        return problem("invalid-host-name", "The MAIL FROM domain is not a valid host name: use letters, digits and"
                + " hyphens between dots");
    }

    private static SendersProblem problem(String reason, String detail) {
        return SendersProblem.invalid(FIELD, reason, detail);
    }
}
