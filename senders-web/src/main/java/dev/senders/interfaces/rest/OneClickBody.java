package dev.senders.interfaces.rest;

import jakarta.activation.DataSource;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.ParseException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The body of a one-click unsubscribe POST (RFC 8058, section 3.1): the pair {@code List-Unsubscribe=One-Click},
 * sent as {@code multipart/form-data} (what the RFC recommends) or {@code application/x-www-form-urlencoded} (what it
 * also allows, and what a browser's form sends). Other fields are ignored.
 */
public final class OneClickBody {

    /** The form field, and the value that asks for the one-click unsubscribe. */
    public static final String FIELD = "List-Unsubscribe";
    public static final String ONE_CLICK = "One-Click";
    /** More parts than this is not a one-click request. */
    private static final int MAX_PARTS = 16;

    /** What the body is. */
    public enum Kind {
        /** It carries {@code List-Unsubscribe=One-Click}. */
        ONE_CLICK,
        /** Neither form encoding (or no content type). */
        UNSUPPORTED_TYPE,
        /** The content type says a form but the body is not one (bad percent-encoding, broken multipart). */
        MALFORMED,
        /** A form without a {@code List-Unsubscribe} field. */
        MISSING,
        /** A {@code List-Unsubscribe} field with another value than {@code One-Click}. */
        NOT_ONE_CLICK
    }

    private OneClickBody() {
    }

    /** What this body, sent with this Content-Type header, is. */
    public static Kind read(String contentType, byte[] body) {
        if (contentType == null || contentType.isBlank()) {
            return Kind.UNSUPPORTED_TYPE;
        }
        ContentType type;
        try {
            type = new ContentType(contentType);
        } catch (ParseException e) {
            return Kind.UNSUPPORTED_TYPE;
        }
        byte[] bytes = body == null ? new byte[0] : body;
        if (type.match("application/x-www-form-urlencoded")) {
            return urlEncoded(new String(bytes, StandardCharsets.UTF_8));
        }
        if (type.match("multipart/form-data")) {
            return type.getParameter("boundary") == null ? Kind.MALFORMED : multipart(contentType, bytes);
        }
        return Kind.UNSUPPORTED_TYPE;
    }

    private static Kind urlEncoded(String body) {
        Kind found = Kind.MISSING;
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Kind.MALFORMED;
            }
            found = better(found, name, value);
        }
        return found;
    }

    private static Kind multipart(String contentType, byte[] body) {
        try {
            MimeMultipart parts = new MimeMultipart(new Bytes(contentType, body));
            int count = parts.getCount();
            if (count > MAX_PARTS) {
                return Kind.MALFORMED;
            }
            Kind found = Kind.MISSING;
            for (int i = 0; i < count; i++) {
                BodyPart part = parts.getBodyPart(i);
                String[] disposition = part.getHeader("Content-Disposition");
                if (disposition == null || disposition.length == 0) {
                    continue;
                }
                String name = new ContentDisposition(disposition[0]).getParameter("name");
                if (name == null) {
                    continue;
                }
                String value;
                try (InputStream in = part.getInputStream()) {
                    value = new String(in.readNBytes(1024), StandardCharsets.UTF_8);
                }
                found = better(found, name, value);
            }
            return found;
        } catch (MessagingException | IOException | RuntimeException e) {
            return Kind.MALFORMED;
        }
    }

    /** The best of what was found so far and this field: one-click wins, then a wrong value, then nothing. */
    private static Kind better(Kind sofar, String name, String value) {
        if (sofar == Kind.ONE_CLICK || !FIELD.equalsIgnoreCase(name.strip())) {
            return sofar;
        }
        return ONE_CLICK.equals(value.strip()) ? Kind.ONE_CLICK : Kind.NOT_ONE_CLICK;
    }

    /** The body as a read-only data source for Jakarta Mail's multipart parser. */
    private record Bytes(String contentType, byte[] body) implements DataSource {
        @Override
        public InputStream getInputStream() {
            return new ByteArrayInputStream(body);
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            throw new IOException("read-only");
        }

        @Override
        public String getContentType() {
            return contentType;
        }

        @Override
        public String getName() {
            return "one-click-body";
        }
    }
}
