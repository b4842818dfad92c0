package dev.senders.infrastructure.sending;

import jakarta.mail.util.StreamProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The stream provider is looked up once, named in Jakarta Mail's system property, and a name already set is kept. */
class MimeSessionTest {

    @Test
    void theStreamProviderFoundIsNamedForLaterLookupsAndANameAlreadySetIsKept() {
        String before = System.getProperty(MimeSession.STREAM_PROVIDER);
        try {
            System.setProperty(MimeSession.STREAM_PROVIDER, "com.example.TheHostsOwnProvider");
            MimeSession.pinStreamProvider();
            assertThat(System.getProperty(MimeSession.STREAM_PROVIDER)).as("set by the host: kept")
                    .isEqualTo("com.example.TheHostsOwnProvider");

            System.clearProperty(MimeSession.STREAM_PROVIDER);
            Class<?> found = StreamProvider.provider().getClass();
            MimeSession.pinStreamProvider();
            assertThat(System.getProperty(MimeSession.STREAM_PROVIDER)).isEqualTo(found.getName());
            assertThat(StreamProvider.provider()).as("what Jakarta Mail gives through the property").isInstanceOf(found);
        } finally {
            if (before == null) {
                System.clearProperty(MimeSession.STREAM_PROVIDER);
            } else {
                System.setProperty(MimeSession.STREAM_PROVIDER, before);
            }
        }
    }
}
