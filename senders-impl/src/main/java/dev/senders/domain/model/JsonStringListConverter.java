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

/**
 * Maps a list of strings to a jsonb array. Written as text (the data source sends strings untyped, so PostgreSQL
 * casts them); read as whatever object the driver returns for jsonb, whose text form is the JSON.
 */
@Converter
public class JsonStringListConverter implements AttributeConverter<List<String>, Object> {
    @Override
    public Object convertToDatabaseColumn(List<String> values) {
        if (values == null) {
            return null;
        }
        JsonArrayBuilder array = Json.createArrayBuilder();
        values.forEach(array::add);
        return array.build().toString();
    }

    @Override
    public List<String> convertToEntityAttribute(Object column) {
        if (column == null) {
            return null;
        }
        try (var reader = Json.createReader(new StringReader(column.toString()))) {
            JsonArray array = reader.readArray();
            return array.stream().map(v -> v.getValueType() == JsonValue.ValueType.STRING
                    ? ((JsonString) v).getString() : v.toString()).toList();
        }
    }
}
