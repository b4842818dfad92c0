package dev.senders.domain.model;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.io.StringReader;
import java.util.List;

/** Maps a list of strings to a jsonb array (the data source sends strings untyped, so PostgreSQL casts them). */
@Converter
public class JsonStringListConverter implements AttributeConverter<List<String>, String> {
    @Override
    public String convertToDatabaseColumn(List<String> values) {
        if (values == null) {
            return null;
        }
        JsonArrayBuilder array = Json.createArrayBuilder();
        values.forEach(array::add);
        return array.build().toString();
    }

    @Override
    public List<String> convertToEntityAttribute(String json) {
        if (json == null) {
            return null;
        }
        try (var reader = Json.createReader(new StringReader(json))) {
            JsonArray array = reader.readArray();
            return array.stream().map(v -> v.getValueType() == JsonValue.ValueType.STRING
                    ? ((JsonString) v).getString() : v.toString()).toList();
        }
    }
}
