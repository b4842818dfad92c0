package dev.senders.benchapp;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * When each SES request of this instance passed the module's on-the-wire check, against its slot, by the request's tag
 * ({@link RequestTags}): {@code POST bench-api/wire-times} answers the (tag, slot, wire) triples kept since the last
 * call and forgets them.
 */
@Path("wire-times")
public class WireTimes {

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject drain() {
        JsonArrayBuilder triples = Json.createArrayBuilder();
        for (long[] t : RequestTags.drain()) {
            triples.add(Json.createArrayBuilder().add(t[0]).add(t[1]).add(t[2]));
        }
        return Json.createObjectBuilder().add("requests", triples).build();
    }
}
