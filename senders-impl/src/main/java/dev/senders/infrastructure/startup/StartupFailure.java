package dev.senders.infrastructure.startup;

import org.eclipse.microprofile.config.ConfigProvider;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the module does when it cannot start: a failed deployment must never leave a "ready" server answering 404
 * (Payara Micro logs a failed deployment and carries on). The reason is logged and, unless
 * {@code senders.startup.exit-on-failure=false} (for shared application servers, where the failed deployment is
 * enough), the JVM exits with status {@value #EXIT_STATUS}.
 */
public final class StartupFailure {

    public static final int EXIT_STATUS = 78;

    private static final Logger LOG = Logger.getLogger(StartupFailure.class.getName());

    private StartupFailure() {
    }

    /**
     * Logs {@code message} (SEVERE, with {@code cause}), stops the JVM unless configured not to, and returns the
     * exception for the caller to throw (which fails the deployment).
     */
    public static IllegalStateException stop(String message, Throwable cause) {
        LOG.log(Level.SEVERE, message, cause);
        if (exitOnFailure()) {
            LOG.severe("Senders: stopping the server (senders.startup.exit-on-failure=true)");
            // Exit from another thread: the deploying thread holds locks that shutdown hooks need.
            Thread exit = new Thread(() -> System.exit(EXIT_STATUS), "senders-startup-failure");
            exit.start();
        }
        return new IllegalStateException(message, cause);
    }

    private static boolean exitOnFailure() {
        try {
            return ConfigProvider.getConfig(StartupFailure.class.getClassLoader())
                    .getOptionalValue("senders.startup.exit-on-failure", Boolean.class).orElse(true);
        } catch (RuntimeException e) {
            return true;
        }
    }
}
