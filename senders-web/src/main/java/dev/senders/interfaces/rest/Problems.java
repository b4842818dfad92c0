package dev.senders.interfaces.rest;

import dev.senders.application.error.SendersProblem;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/** RFC 9457 problem details, the one error shape of the API. */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);
    public static final String TYPE_PREFIX = "urn:senders:problem:";

    private static final Logger LOG = Logger.getLogger(Problems.class.getName());

    private Problems() {
    }

    /** The headers a problem's answer carries beside its body. */
    public static Map<String, String> headersOf(SendersProblem p) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (p.status() == 401) {
            headers.put(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"senders\"");
        }
        if (p.retryAfterSeconds() != null) {
            headers.put(HttpHeaders.RETRY_AFTER, String.valueOf(p.retryAfterSeconds()));
        }
        if (p.status() == 413) {
            // the rest of the body is never read: end the connection rather than leave the client waiting
            headers.put("Connection", "close");
        }
        return headers;
    }

    /** 413: a request body over {@code maxBytes}. */
    public static SendersProblem tooLarge(long maxBytes) {
        return new SendersProblem(413, "payload-too-large", "Payload Too Large",
                "The request body is larger than " + maxBytes + " bytes");
    }

    /**
     * 500 for a failure nobody expected: logged in full under a new incident id, which is all the client sees of
     * it, so that no stack trace or internal detail ever reaches a client.
     */
    public static JsonObject unexpected(Throwable e, String instance) {
        String incident = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "Senders API: unexpected failure at " + instance + ", incident " + incident, e);
        return body(500, "internal", "Internal Server Error",
                "The server could not complete the request (incident " + incident + ")", instance, null, null);
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
