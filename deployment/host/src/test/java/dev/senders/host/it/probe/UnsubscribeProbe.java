package dev.senders.host.it.probe;

import dev.senders.api.events.RecipientUnsubscribed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A host's observer of the module's {@link RecipientUnsubscribed} events, deployed only in test WARs: it keeps what
 * it heard (once the module's transaction committed, as the event's documentation says to observe it) and lists it at
 * {@code GET /probe/unsubscribes?organizationId=...} as {@code [{"organizationId", "recipient", "listId"}]}.
 */
@Path("unsubscribes")
@ApplicationScoped
public class UnsubscribeProbe {

    private static final List<RecipientUnsubscribed> HEARD = new CopyOnWriteArrayList<>();

    void heard(@Observes(during = TransactionPhase.AFTER_SUCCESS) RecipientUnsubscribed event) {
        HEARD.add(event);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonArray heard(@QueryParam("organizationId") String organizationId) {
        JsonArrayBuilder out = Json.createArrayBuilder();
        for (RecipientUnsubscribed e : HEARD) {
            if (e.organizationId().equals(organizationId)) {
                var item = Json.createObjectBuilder().add("organizationId", e.organizationId())
                        .add("recipient", e.recipient()).add("occurredAt", e.occurredAt().toString());
                if (e.listId() == null) {
                    item.addNull("listId");
                } else {
                    item.add("listId", e.listId());
                }
                out.add(item);
            }
        }
        return out.build();
    }
}
