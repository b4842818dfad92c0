package dev.senders.domain.model.address;

import static java.lang.Character.UnicodeScript.BOPOMOFO;
import static java.lang.Character.UnicodeScript.CYRILLIC;
import static java.lang.Character.UnicodeScript.GREEK;
import static java.lang.Character.UnicodeScript.HAN;
import static java.lang.Character.UnicodeScript.HANGUL;
import static java.lang.Character.UnicodeScript.HIRAGANA;
import static java.lang.Character.UnicodeScript.KATAKANA;
import static java.lang.Character.UnicodeScript.LATIN;

import java.lang.Character.UnicodeScript;
import java.net.IDN;
import java.text.Normalizer;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Domain labels made to look like other domains (Unicode TR 39 in the spirit of Chromium's IDN spoof checks).
 * Labels are compared in the form IDNA sees: NFKC, lower case, an {@code xn--} label decoded (also when it holds
 * characters newer than the JDK's IDNA 2003 tables, which would otherwise hide the trick behind "not a valid domain
 * name").
 * <ul>
 *   <li><b>Mixed scripts</b>: Common and Inherited characters (digits, hyphen, combining marks) are neutral; a label
 *   may otherwise use one script, or one of the TR 39 "highly restrictive" combinations: Latin + Han + Hiragana +
 *   Katakana, Latin + Han + Hangul, Latin + Han + Bopomofo.</li>
 *   <li><b>Whole-script look-alikes</b>: a label written only with Cyrillic (or only Greek) letters that look like
 *   Latin ones ({@code аррӏе}, {@code соса}, {@code οο}) is a homograph of a Latin label, unless the top-level domain
 *   is one where that script is at home (an IDN TLD in it, or the country codes listed below).</li>
 * </ul>
 * Full-width Latin letters ({@code ｐａｙｐａｌ}) are no trick: IDNA maps them to ASCII, so the stored and shown
 * domain is the ASCII one.
 */
public final class Homographs {

    private static final List<Set<UnicodeScript>> ALLOWED_SCRIPT_MIXES = List.of(
            EnumSet.of(LATIN, HAN, HIRAGANA, KATAKANA),
            EnumSet.of(LATIN, HAN, HANGUL),
            EnumSet.of(LATIN, HAN, BOPOMOFO));

    /** Letters that pass for Latin ones, per script (Cyrillic after Chromium's list, plus к). */
    private static final Map<UnicodeScript, String> LATIN_ALIKE = Map.of(
            CYRILLIC, "асԁеһіјӏорԛѕԝхуъьҽпгѵѡк",
            GREEK, "αικνορυχγϲϳ");

    /** Top-level domains (A-labels) under which a label in that script is expected, not a disguise. */
    private static final Map<UnicodeScript, Set<String>> HOME_TLDS = Map.of(
            CYRILLIC, Set.of("ba", "bg", "by", "kg", "kz", "me", "mk", "mn", "rs", "ru", "su", "tj", "ua", "uz"),
            GREEK, Set.of("cy", "gr"));

    private Homographs() {
    }

    /** What is wrong with a label, if anything. */
    public enum Finding { NONE, MIXED_SCRIPT, WHOLE_SCRIPT_LOOKALIKE }

    /**
     * Checks one label of a domain.
     *
     * @param label the label as typed (U-label, or an {@code xn--} A-label)
     * @param tld   the domain's top-level label as typed
     */
    public static Finding check(String label, String tld) {
        String u = unicodeForm(label);
        Set<UnicodeScript> scripts = scripts(u);
        if (scripts.size() > 1 && ALLOWED_SCRIPT_MIXES.stream().noneMatch(mix -> mix.containsAll(scripts))) {
            return Finding.MIXED_SCRIPT;
        }
        if (scripts.size() == 1) {
            UnicodeScript script = scripts.iterator().next();
            String alike = LATIN_ALIKE.get(script);
            if (alike != null && !atHome(script, tld) && u.codePoints().filter(Character::isLetter)
                    .allMatch(cp -> alike.indexOf(cp) >= 0)) {
                return Finding.WHOLE_SCRIPT_LOOKALIKE;
            }
        }
        return Finding.NONE;
    }

    /** Whether the label mixes scripts beyond the allowed combinations. */
    public static boolean isMixedScript(String label) {
        return check(label, "") == Finding.MIXED_SCRIPT;
    }

    private static boolean atHome(UnicodeScript script, String tld) {
        String t = unicodeForm(tld);
        return HOME_TLDS.getOrDefault(script, Set.of()).contains(t) || scripts(t).equals(EnumSet.of(script));
    }

    /** NFKC and lower case; an {@code xn--} label decoded (left as it is when it does not decode). */
    static String unicodeForm(String label) {
        String l = Normalizer.normalize(label, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        if (l.startsWith("xn--")) {
            try {
                return IDN.toUnicode(l, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                return l;
            }
        }
        return l;
    }

    private static Set<UnicodeScript> scripts(String label) {
        return label.codePoints().mapToObj(UnicodeScript::of)
                .filter(s -> s != UnicodeScript.COMMON && s != UnicodeScript.INHERITED && s != UnicodeScript.UNKNOWN)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(UnicodeScript.class)));
    }
}
