package dev.senders.interfaces.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import java.util.Set;

/**
 * The module's JAX-RS application at {@code /api}. It lists its classes, so that a host's own JAX-RS application
 * (at another path) does not pick them up twice, and ours does not serve the host's.
 */
@ApplicationPath("/api")
public class SendersApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(
                SenderResource.class,
                AccountResource.class,
                AdminResource.class,
                BodySizeLimit.class,
                ProblemMappers.SendersProblemMapper.class,
                ProblemMappers.WebApplicationExceptionMapper.class,
                ProblemMappers.JsonInputMapper.class,
                ProblemMappers.UnexpectedMapper.class);
    }
}
