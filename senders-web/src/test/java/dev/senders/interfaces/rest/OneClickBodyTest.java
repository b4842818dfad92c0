package dev.senders.interfaces.rest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static dev.senders.interfaces.rest.OneClickBody.Kind.MALFORMED;
import static dev.senders.interfaces.rest.OneClickBody.Kind.MISSING;
import static dev.senders.interfaces.rest.OneClickBody.Kind.NOT_ONE_CLICK;
import static dev.senders.interfaces.rest.OneClickBody.Kind.ONE_CLICK;
import static dev.senders.interfaces.rest.OneClickBody.Kind.UNSUPPORTED_TYPE;
import static org.assertj.core.api.Assertions.assertThat;

class OneClickBodyTest {

    private static OneClickBody.Kind read(String type, String body) {
        return OneClickBody.read(type, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "application/x-www-form-urlencoded | List-Unsubscribe=One-Click",
            "application/x-www-form-urlencoded; charset=UTF-8 | List-Unsubscribe=One-Click",
            "Application/X-WWW-Form-Urlencoded | other=1&List-Unsubscribe=One-Click&x",
            "application/x-www-form-urlencoded | List-Unsubscribe=One%2DClick",
            "application/x-www-form-urlencoded | List-Unsubscribe=nope&List-Unsubscribe=One-Click"})
    void urlEncodedOneClick(String type, String body) {
        assertThat(read(type, body)).isEqualTo(ONE_CLICK);
    }

    @Test
    void aTrailingLineBreakIsIgnored() {
        assertThat(read("application/x-www-form-urlencoded", "List-Unsubscribe=One-Click\r\n")).isEqualTo(ONE_CLICK);
    }

    @Test
    void multipartFormDataAsTheRfcRecommends() {
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--XyZ--\r\n";
        assertThat(read("multipart/form-data; boundary=XyZ", body)).isEqualTo(ONE_CLICK);
        String two = "--b1\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n"
                + "--b1\r\nContent-Disposition: form-data; name=List-Unsubscribe\r\nContent-Type: text/plain\r\n\r\n"
                + "One-Click\r\n--b1--";
        assertThat(read("multipart/form-data; boundary=b1", two)).isEqualTo(ONE_CLICK);
        assertThat(read("multipart/form-data; boundary=b1", two.replace("One-Click", "Two-Clicks")))
                .isEqualTo(NOT_ONE_CLICK);
        assertThat(read("multipart/form-data; boundary=b1", two.replace("List-Unsubscribe", "Other")))
                .isEqualTo(MISSING);
        assertThat(read("multipart/form-data", body)).as("no boundary").isEqualTo(MALFORMED);
        assertThat(read("multipart/form-data; boundary=other", body)).as("no start boundary").isEqualTo(MALFORMED);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "NULL | List-Unsubscribe=One-Click | UNSUPPORTED_TYPE",
            "' ' | List-Unsubscribe=One-Click | UNSUPPORTED_TYPE",
            "application/json | {\"List-Unsubscribe\":\"One-Click\"} | UNSUPPORTED_TYPE",
            "text/plain | List-Unsubscribe=One-Click | UNSUPPORTED_TYPE",
            "not a type | List-Unsubscribe=One-Click | UNSUPPORTED_TYPE",
            "application/x-www-form-urlencoded | '' | MISSING",
            "application/x-www-form-urlencoded | NULL | MISSING",
            "application/x-www-form-urlencoded | List-Unsubscribe | NOT_ONE_CLICK",
            "application/x-www-form-urlencoded | List-Unsubscribe=one-click | NOT_ONE_CLICK",
            "application/x-www-form-urlencoded | List-Unsubscribe=One-Click-Please | NOT_ONE_CLICK",
            "application/x-www-form-urlencoded | Unsubscribe=One-Click | MISSING",
            "application/x-www-form-urlencoded | List-Unsubscribe=%ZZ | MALFORMED"})
    void everythingElse(String type, String body, OneClickBody.Kind expected) {
        assertThat(read(type, body)).isEqualTo(expected);
    }

    @Test
    void tooManyPartsIsMalformed() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            body.append("--b\r\nContent-Disposition: form-data; name=\"f").append(i).append("\"\r\n\r\nv\r\n");
        }
        body.append("--b\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--b--");
        assertThat(read("multipart/form-data; boundary=b", body.toString())).isEqualTo(MALFORMED);
        assertThat(UNSUPPORTED_TYPE).isNotEqualTo(MALFORMED);
    }
}
