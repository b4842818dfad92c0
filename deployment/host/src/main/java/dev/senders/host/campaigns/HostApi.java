package dev.senders.host.campaigns;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import java.util.Set;

/**
 * The host's own JAX-RS application at {@code /host-api} (the Senders module's is at {@code /api}). It lists its
 * classes so that neither application picks up the other's. {@code /host-api/me} stays a servlet: an exact servlet
 * mapping wins over this application's {@code /host-api/*}.
 */
@ApplicationPath("/host-api")
public class HostApi extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(CampaignResource.class, CampaignResource.Errors.class, CampaignResource.WebErrors.class);
    }
}
