package dev.senders.application.activity;

import dev.senders.application.error.SendersProblem;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SendActivityTest {

    @Test
    void theCursorKeepsTheMicrosecondAndTheId() {
        var key = new SendActivity.Key(OffsetDateTime.of(2026, 12, 5, 0, 10, 42, 123_456_000, ZoneOffset.UTC), 42);
        assertThat(SendActivity.Key.parse(key.encode())).isEqualTo(key);
    }

    @Test
    void aMalformedCursorIsABadRequestNamingTheField() {
        for (String bad : new String[]{"x", "!!!", "MTIz", "MTIzLjA", "bm90LmEubnVtYmVy", "a".repeat(100)}) {
            assertThatThrownBy(() -> SendActivity.Key.parse(bad)).as(bad).isInstanceOfSatisfying(SendersProblem.class,
                    p -> {
                        assertThat(p.status()).isEqualTo(400);
                        assertThat(p.field()).isEqualTo("cursor");
                    });
        }
    }

    @Test
    void filtersAreCheckedAndNormalized() {
        var f = SendActivity.checked("  Ann@Example.COM ", "", null, " 41 ");
        assertThat(f).isEqualTo(new SendActivity.Filter("ann@example.com", null, null, "41"));
        assertThatThrownBy(() -> SendActivity.checked(null, "bounced", null, null))
                .isInstanceOfSatisfying(SendersProblem.class, p -> assertThat(p.field()).isEqualTo("status"));
        assertThatThrownBy(() -> SendActivity.checked(null, null, "mailgun", null))
                .isInstanceOfSatisfying(SendersProblem.class, p -> assertThat(p.field()).isEqualTo("provider"));
        assertThatThrownBy(() -> SendActivity.checked("a".repeat(321), null, null, null))
                .isInstanceOfSatisfying(SendersProblem.class, p -> assertThat(p.field()).isEqualTo("q"));
    }

    @Test
    void theSuccessorOfAPrefixBoundsEveryStringThatStartsWithIt() {
        assertThat(SendActivity.successor("ann")).isEqualTo("ano");
        assertThat(SendActivity.successor("a%_")).isEqualTo("a%`");
        assertThat(SendActivity.successor("b\uD7FF")).isEqualTo("b\uE000");
        assertThat(SendActivity.successor("x" + new String(Character.toChars(Character.MAX_CODE_POINT))))
                .isEqualTo("y");
    }
}
