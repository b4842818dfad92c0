package dev.senders.domain.model;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

@Converter
public class VerificationStatusConverter implements AttributeConverter<VerificationStatus, String> {
    @Override
    public String convertToDatabaseColumn(VerificationStatus status) {
        return status == null ? null : status.wire();
    }

    @Override
    public VerificationStatus convertToEntityAttribute(String value) {
        return value == null ? null : VerificationStatus.fromWire(value);
    }
}
