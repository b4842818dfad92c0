package dev.senders.infrastructure.logging;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static org.assertj.core.api.Assertions.assertThat;

class StructuredLogTest {

    private final Logger logger = Logger.getLogger(StructuredLogTest.class.getName());
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        logger.addHandler(capture);
        logger.setLevel(Level.ALL);
    }

    @AfterEach
    void stop() {
        logger.removeHandler(capture);
    }

    @Test
    void aLineIsLogfmtWithTheOrganizationAndSenderFirstAndTheSameFieldsAsAMap() {
        StructuredLog.of(StructuredLogTest.class).info("sender.added").organization("acme").sender(42L)
                .field("domain", "acme.com").field("ignored", null).log();

        assertThat(records).hasSize(1);
        LogRecord r = records.get(0);
        assertThat(r.getLevel()).isEqualTo(Level.INFO);
        assertThat(r.getSourceClassName()).isEqualTo(StructuredLogTest.class.getName());
        assertThat(r.getMessage()).isEqualTo("event=sender.added organization=acme sender=42 domain=acme.com");
        assertThat(r.getParameters()).hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) r.getParameters()[0];
        assertThat(List.copyOf(fields.keySet())).containsExactly("event", "organization", "sender", "domain");
        assertThat(fields).containsEntry("sender", 42L).containsEntry("organization", "acme");
        // a formatter that substitutes parameters leaves the line as it is
        assertThat(new SimpleFormatter().formatMessage(r)).isEqualTo(r.getMessage());
    }

    @Test
    void hostileValuesCannotForgeFieldsOrLines() {
        StructuredLog.of(StructuredLogTest.class).warning("send.failed").organization("acme")
                .field("error", "bad\r\nevent=sender.removed organization=victim")
                .field("subject", "say \"hi\" = \\o/").field("empty", "").field("bell", "a\u0007b").log();

        String line = records.get(0).getMessage();
        assertThat(line).doesNotContain("\n").doesNotContain("\r");
        assertThat(line).isEqualTo("event=send.failed organization=acme"
                + " error=\"bad\\r\\nevent=sender.removed organization=victim\""
                + " subject=\"say \\\"hi\\\" = \\\\o/\" empty=\"\" bell=a\\u0007b");
    }

    @Test
    void aValueThatLooksLikeAMessageFormatPatternIsNotSubstituted() {
        StructuredLog.of(StructuredLogTest.class).info("sender.added").field("detail", "{0}@acme.com").log();

        LogRecord r = records.get(0);
        assertThat(r.getParameters()).isNull();
        assertThat(new SimpleFormatter().formatMessage(r)).isEqualTo("event=sender.added detail={0}@acme.com");
    }

    @Test
    void nothingIsFormattedBelowTheLoggersLevel() {
        logger.setLevel(Level.WARNING);
        StructuredLog.of(StructuredLogTest.class).info("sender.added").organization("acme").log();
        StructuredLog.of(StructuredLogTest.class).severe("schema.failed").cause(new IllegalStateException("x")).log();

        assertThat(records).hasSize(1);
        assertThat(records.get(0).getLevel()).isEqualTo(Level.SEVERE);
        assertThat(records.get(0).getThrown()).hasMessage("x");
    }
}
