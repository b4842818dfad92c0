package dev.senders.host.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A plain HTTP client of the deployed application, signed in as one user (or nobody). */
public final class Api {

    /** HTTP/1.1, as browsers speak to an http:// origin (no cleartext HTTP/2 upgrade). */
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final URI base;
    private final String authorization;

    private Api(URI base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    public static Api anonymous(URL base) {
        return new Api(toUri(base), null);
    }

    public static Api as(URL base, TestUsers.User user) {
        return as(base, user.name(), user.password());
    }

    public static Api as(URL base, String user, String password) {
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new Api(toUri(base), "Basic " + token);
    }

    private static URI toUri(URL base) {
        String s = base.toString();
        return URI.create(s.endsWith("/") ? s : s + "/");
    }

    public URI uri(String path) {
        return base.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    public Reply get(String path) {
        return send(request(path).GET());
    }

    public Reply delete(String path) {
        return send(request(path).DELETE());
    }

    public Reply post(String path, String json) {
        return post(path, "application/json", json);
    }

    public Reply post(String path, String contentType, String body) {
        return send(request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body)));
    }

    public Reply send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json, application/problem+json");
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    /** A response with its body, parsed as JSON on demand. */
    public record Reply(HttpResponse<String> response) {
        public int status() {
            return response.statusCode();
        }

        public String body() {
            return response.body();
        }

        public String contentType() {
            return response.headers().firstValue("Content-Type").orElse("");
        }

        public String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        public JsonObject json() {
            return (JsonObject) parse();
        }

        public JsonStructure parse() {
            try (var reader = Json.createReader(new StringReader(response.body()))) {
                return reader.read();
            } catch (RuntimeException e) {
                throw new AssertionError("not JSON (" + status() + "): " + response.body(), e);
            }
        }

        @Override
        public String toString() {
            return status() + " " + contentType() + " " + body();
        }
    }
}
