package dev.senders.sandbox;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.JsonWriter;
import jakarta.json.JsonWriterFactory;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;

import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** JSON helpers over Jakarta JSON Processing (Parsson); the provider is looked up once. */
final class Json {
    static final JsonProvider PROVIDER = JsonProvider.provider();
    private static final JsonWriterFactory PRETTY =
            PROVIDER.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true));
    private static final JsonWriterFactory COMPACT = PROVIDER.createWriterFactory(Map.of());

    private Json() {
    }

    static JsonObjectBuilder object() {
        return PROVIDER.createObjectBuilder();
    }

    static JsonArrayBuilder array() {
        return PROVIDER.createArrayBuilder();
    }

    /** Parses any JSON text; throws {@link JsonException} (or a subclass) when it is not valid JSON. */
    static JsonValue parse(String text) {
        try (JsonReader r = PROVIDER.createReader(new StringReader(text))) {
            return r.readValue();
        }
    }

    static String write(JsonValue v, boolean pretty) {
        StringWriter sw = new StringWriter();
        try (JsonWriter w = (pretty ? PRETTY : COMPACT).createWriter(sw)) {
            w.write(v);
        }
        return sw.toString();
    }

    static JsonArray strings(Collection<String> values) {
        JsonArrayBuilder b = array();
        values.forEach(b::add);
        return b.build();
    }

    static JsonObject stringMap(Map<String, String> map) {
        JsonObjectBuilder b = object();
        map.forEach(b::add);
        return b.build();
    }

    static JsonObject listMap(Map<String, List<String>> map) {
        JsonObjectBuilder b = object();
        map.forEach((k, v) -> b.add(k, strings(v)));
        return b.build();
    }

    /** Adds {@code name} only when {@code value} is not null. */
    static JsonObjectBuilder opt(JsonObjectBuilder b, String name, String value) {
        return value == null ? b : b.add(name, value);
    }

    static JsonObjectBuilder opt(JsonObjectBuilder b, String name, Instant value) {
        return value == null ? b : b.add(name, value.toString());
    }

    static String string(JsonObject o, String name) {
        JsonValue v = o.get(name);
        return v instanceof JsonString s ? s.getString() : null;
    }

    static Integer integer(JsonObject o, String name) {
        JsonValue v = o.get(name);
        return v instanceof jakarta.json.JsonNumber n ? n.intValue() : null;
    }

    static Double number(JsonObject o, String name) {
        JsonValue v = o.get(name);
        return v instanceof jakarta.json.JsonNumber n ? n.doubleValue() : null;
    }

    static Boolean bool(JsonObject o, String name) {
        JsonValue v = o.get(name);
        if (v == JsonValue.TRUE) {
            return true;
        }
        if (v == JsonValue.FALSE) {
            return false;
        }
        return null;
    }
}
