package dev.senders.domain.model;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

@Converter
public class DkimStatusConverter implements AttributeConverter<DkimStatus, String> {
    @Override
    public String convertToDatabaseColumn(DkimStatus status) {
        return status == null ? null : status.wire();
    }

    @Override
    public DkimStatus convertToEntityAttribute(String value) {
        return value == null ? null : DkimStatus.fromWire(value);
    }
}
