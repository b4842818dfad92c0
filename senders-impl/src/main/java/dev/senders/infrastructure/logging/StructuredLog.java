package dev.senders.infrastructure.logging;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The module's structured log lines: an event name and key-value fields, the organization id and sender id first
 * whenever the line is about one. Each line is written twice over, so any log pipeline can read it:
 * <ul>
 *     <li>the message is <a href="https://brandur.org/logfmt">logfmt</a>
 *     ({@code event=sender.added organization=acme sender=42 domain=acme.com}), which Loki, Datadog, Splunk and
 *     CloudWatch Logs Insights parse as fields, whatever formatter the server uses;</li>
 *     <li>the record's one parameter is the same fields as a {@code Map}, which JSON formatters that read
 *     parameters (Payara's {@code JSONLogFormatter}) emit as JSON fields.</li>
 * </ul>
 * Values are quoted when they hold a space, a quote or an equals sign, and control characters (CR, LF, tabs) are
 * escaped, so a hostile address or subject cannot forge a second log line. Never put a secret in a field.
 */
public final class StructuredLog {

    private final Logger logger;

    private StructuredLog(Logger logger) {
        this.logger = logger;
    }

    public static StructuredLog of(Class<?> type) {
        return new StructuredLog(Logger.getLogger(type.getName()));
    }

    public Line info(String event) {
        return new Line(Level.INFO, event);
    }

    public Line warning(String event) {
        return new Line(Level.WARNING, event);
    }

    public Line severe(String event) {
        return new Line(Level.SEVERE, event);
    }

    /** One line being built; nothing is formatted unless the level is enabled. */
    public final class Line {
        private final Level level;
        private final Map<String, Object> fields = new LinkedHashMap<>();
        private Throwable thrown;

        private Line(Level level, String event) {
            this.level = level;
            fields.put("event", event);
        }

        public Line organization(String organizationId) {
            return field("organization", organizationId);
        }

        public Line sender(Long senderId) {
            return field("sender", senderId);
        }

        /** A field; a null value is left out. */
        public Line field(String key, Object value) {
            if (value != null) {
                fields.put(key, value);
            }
            return this;
        }

        public Line cause(Throwable cause) {
            thrown = cause;
            return this;
        }

        public void log() {
            if (!logger.isLoggable(level)) {
                return;
            }
            String message = format(fields);
            LogRecord record = new LogRecord(level, message);
            record.setLoggerName(logger.getName());
            if (!looksLikeAPattern(message)) {
                // with parameters, JUL formatters treat a message holding "{0".."{3" as a MessageFormat pattern
                record.setParameters(new Object[]{Collections.unmodifiableMap(new LinkedHashMap<>(fields))});
            }
            record.setThrown(thrown);
            StackWalker.getInstance()
                    .walk(frames -> frames.filter(f -> !f.getClassName().equals(StructuredLog.class.getName())
                                    && !f.getClassName().startsWith(StructuredLog.class.getName() + "$"))
                            .findFirst())
                    .ifPresent(caller -> {
                        record.setSourceClassName(caller.getClassName());
                        record.setSourceMethodName(caller.getMethodName());
                    });
            logger.log(record);
        }
    }

    private static boolean looksLikeAPattern(String message) {
        return message.contains("{0") || message.contains("{1") || message.contains("{2") || message.contains("{3");
    }

    /** The logfmt form of the fields. */
    static String format(Map<String, Object> fields) {
        StringBuilder line = new StringBuilder();
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(field.getKey()).append('=').append(value(String.valueOf(field.getValue())));
        }
        return line.toString();
    }

    private static String value(String raw) {
        boolean quote = raw.isEmpty();
        StringBuilder out = new StringBuilder(raw.length() + 2);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            switch (c) {
                case '"' -> {
                    out.append("\\\"");
                    quote = true;
                }
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case ' ', '=' -> {
                    out.append(c);
                    quote = true;
                }
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return quote ? '"' + out.toString() + '"' : out.toString();
    }
}
