package dev.senders.host.it.probe;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import java.util.Set;

/** The probe's own JAX-RS application, beside the host's and the module's (test WARs only). */
@ApplicationPath("/probe")
public class ProbeApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(SendingProbe.class, UnsubscribeProbe.class);
    }
}
