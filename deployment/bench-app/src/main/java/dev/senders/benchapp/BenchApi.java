package dev.senders.benchapp;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import java.util.Set;

/** The benchmark-only endpoints, beside the reference host's own (this WAR is the host WAR plus these classes). */
@ApplicationPath("/bench-api")
public class BenchApi extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(SendPathBench.class, BulkPathBench.class, BarePost.class, WebhookFloor.class, WireTimes.class);
    }
}
