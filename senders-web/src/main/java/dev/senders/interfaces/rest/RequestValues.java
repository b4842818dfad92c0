package dev.senders.interfaces.rest;

import dev.senders.application.error.SendersProblem;

/** Parsing of path and query values, so that a bad value is a 400 (or 404 for ids) with the field named. */
final class RequestValues {

    private RequestValues() {
    }

    static int intParam(String field, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw SendersProblem.invalid(field, "must be an integer", field + " must be an integer");
        }
    }

    static boolean booleanParam(String field, String value) {
        String v = value.trim();
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw SendersProblem.invalid(field, "must be true or false", field + " must be true or false");
    }

    /** A malformed id cannot name any record: it is simply not found. */
    static long id(String value) {
        try {
            long id = Long.parseLong(value);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw SendersProblem.notFound("Sender " + value.replaceAll("[^A-Za-z0-9_-]", "?"));
    }
}
