package dev.senders.benchapp;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * When each SES request of this instance passed the module's on-the-wire check, against its slot
 * ({@link SlotHeader}): {@code POST bench-api/wire-times} answers the pairs kept since the last call and forgets them.
 */
@Path("wire-times")
public class WireTimes {

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject drain() {
        JsonArrayBuilder pairs = Json.createArrayBuilder();
        for (long[] pair : SlotHeader.drain()) {
            pairs.add(Json.createArrayBuilder().add(pair[0]).add(pair[1]));
        }
        return Json.createObjectBuilder().add("pairs", pairs).build();
    }
}
