package dev.senders.interfaces.rest;

import dev.senders.application.error.SendersProblem;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.util.Map;
import java.util.Set;

/**
 * Strict reading of small JSON request bodies: one object, known fields only, no duplicate keys, the right types.
 * Every violation is a 400 problem naming the field and the reason.
 */
final class JsonBodies {

    private static final JsonReaderFactory READERS =
            Json.createReaderFactory(Map.of("org.eclipse.parsson.rejectDuplicateKeys", true));

    private JsonBodies() {
    }

    static JsonObject object(String body, Set<String> allowedFields) {
        if (body == null || body.isBlank()) {
            throw SendersProblem.invalid("body", "required", "A JSON object is required as the request body");
        }
        JsonValue value;
        try (var reader = READERS.createReader(new StringReader(body))) {
            value = reader.readValue();
        } catch (JsonException | IllegalStateException e) {
            throw SendersProblem.invalid("body", "malformed JSON", "The request body is not valid JSON");
        }
        if (!(value instanceof JsonObject object)) {
            throw SendersProblem.invalid("body", "must be a JSON object", "The request body must be a JSON object");
        }
        for (String field : object.keySet()) {
            if (!allowedFields.contains(field)) {
                throw SendersProblem.invalid(printable(field), "unknown field",
                        "Unknown field \"" + printable(field) + "\"; allowed: " + String.join(", ", allowedFields));
            }
        }
        return object;
    }

    static String requiredString(JsonObject object, String field) {
        JsonValue value = object.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            throw SendersProblem.invalid(field, "required", field + " is required");
        }
        if (!(value instanceof JsonString string)) {
            throw SendersProblem.invalid(field, "must be a string", field + " must be a string");
        }
        return string.getString();
    }

    private static String printable(String field) {
        String cleaned = field.replaceAll("[^\\p{Alnum}_.-]", "?");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
    }
}
