package dev.senders.interfaces.rest;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** RFC 9457 problem details, the one error shape of the API. */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);
    public static final String TYPE_PREFIX = "urn:senders:problem:";

    private Problems() {
    }

    public static JsonObject body(int status, String type, String title, String detail, String instance,
                                  String field, String reason) {
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("type", TYPE_PREFIX + type)
                .add("title", title)
                .add("status", status)
                .add("detail", detail == null ? title : detail);
        if (instance != null) {
            json.add("instance", instance);
        }
        if (field != null) {
            json.add("field", field);
            json.add("reason", reason == null ? "invalid" : reason);
            json.add("errors", Json.createArrayBuilder().add(Json.createObjectBuilder()
                    .add("field", field).add("reason", reason == null ? "invalid" : reason)));
        }
        return json.build();
    }

    public static Response response(int status, JsonObject body) {
        return Response.status(status).type(PROBLEM_JSON).entity(body.toString()).build();
    }

    public static String titleFor(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known != null ? known.getReasonPhrase() : "Error";
    }
}
