package dev.senders.interfaces.rest;

import dev.senders.application.error.SendersProblem;
import jakarta.json.JsonException;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Every error of the API leaves as problem+json; no stack trace ever reaches a client. */
public final class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class.getName());

    private ProblemMappers() {
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/api/" + uri.getPath().replaceFirst("^/", "");
    }

    @Provider
    public static class SendersProblemMapper implements ExceptionMapper<SendersProblem> {
        @Context
        UriInfo uri;

        @Override
        public Response toResponse(SendersProblem p) {
            Response.ResponseBuilder response = Response.fromResponse(Problems.response(p.status(),
                    Problems.body(p.status(), p.type(), p.title(), p.detail(), path(uri), p.field(), p.reason())));
            Problems.headersOf(p).forEach(response::header);
            return response.build();
        }
    }

    @Provider
    public static class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
        @Context
        UriInfo uri;

        @Override
        public Response toResponse(WebApplicationException e) {
            Response original = e.getResponse();
            int status = original.getStatus();
            String detail = switch (status) {
                case 404 -> "No such resource";
                case 405 -> "Method not allowed on this resource";
                case 406 -> "Only application/json responses are available";
                case 415 -> "Send the request body as application/json";
                default -> status >= 500 ? "The server could not complete the request" : e.getMessage();
            };
            if (status >= 500) {
                LOG.log(Level.WARNING, "Senders API request failed", e);
            }
            Response.ResponseBuilder response = Response.fromResponse(Problems.response(status,
                    Problems.body(status, "http-" + status, Problems.titleFor(status), detail, path(uri), null, null)));
            original.getHeaders().forEach((name, values) -> {
                if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
                    values.forEach(v -> response.header(name, v));
                }
            });
            return response.build();
        }
    }

    /** Malformed JSON or a JSON value of the wrong type: the client's mistake. */
    @Provider
    public static class JsonInputMapper implements ExceptionMapper<JsonbException> {
        @Context
        UriInfo uri;

        @Override
        public Response toResponse(JsonbException e) {
            return Problems.response(400, Problems.body(400, "malformed-json", "Malformed request body",
                    "The request body is not valid JSON of the expected shape", path(uri), "body", "malformed JSON"));
        }
    }

    @Provider
    public static class UnexpectedMapper implements ExceptionMapper<Throwable> {
        @Context
        UriInfo uri;

        @Override
        public Response toResponse(Throwable e) {
            if (e instanceof JsonException) {
                return new JsonInputMapper().toResponse(new JsonbException(e.getMessage(), e));
            }
            return Problems.response(500, Problems.unexpected(e, path(uri)));
        }
    }
}
