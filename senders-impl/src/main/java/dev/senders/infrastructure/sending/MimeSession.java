package dev.senders.infrastructure.sending;

import jakarta.mail.Session;
import jakarta.mail.util.StreamProvider;

import java.util.Properties;
import java.util.logging.Logger;

/**
 * The one Jakarta Mail session SES's raw messages are built in (no properties: it only builds, never sends), and the
 * stream provider those messages are encoded with, looked up once.
 *
 * <p>Both lookups otherwise happen per message. A session looks its providers up on the class path when it is made,
 * and Jakarta Mail 2.1 looks the {@link StreamProvider} up each time a body part is encoded, unless the
 * {@value #STREAM_PROVIDER} system property names it. In Payara each lookup scans every jar of the application: in
 * bench 15.6 (JFR, 500/s) the sessions took 11% of an instance's CPU while sending, the stream provider 14.5%.
 *
 * <p>So the first message sets that system property, when it is not set already, to the class of the provider the
 * lookup finds: the one every lookup in this server would find. It is logged once.
 */
final class MimeSession {

    /** Jakarta Mail's system property naming the {@link StreamProvider} implementation. */
    static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

    private static final Logger LOG = Logger.getLogger(MimeSession.class.getName());

    private static final Session SESSION = create();

    private MimeSession() {
    }

    static Session get() {
        return SESSION;
    }

    private static Session create() {
        pinStreamProvider();
        return Session.getInstance(new Properties());
    }

    /** Names the stream provider the lookup finds in {@value #STREAM_PROVIDER}, unless something already did. */
    static void pinStreamProvider() {
        if (System.getProperty(STREAM_PROVIDER) != null) {
            return;
        }
        String provider = StreamProvider.provider().getClass().getName();
        System.setProperty(STREAM_PROVIDER, provider);
        LOG.info(() -> "Senders: " + STREAM_PROVIDER + " set to " + provider + " (the provider Jakarta Mail found),"
                + " so that encoding a message does not look it up on the class path again");
    }
}
