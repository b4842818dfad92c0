package dev.senders.domain.model.suppression;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SuppressedAddressTest {

    @Test
    void oneSpellingPerAddress() {
        assertThat(SuppressedAddress.normalize("  Ann@Example.COM ")).contains("ann@example.com");
        assertThat(SuppressedAddress.normalize("\"Ann Example\" <Ann@Example.com>")).contains("ann@example.com");
        assertThat(SuppressedAddress.normalize("ann@bücher.de")).contains("ann@xn--bcher-kva.de");
        assertThat(SuppressedAddress.normalize("ANN@XN--BCHER-KVA.DE")).contains("ann@xn--bcher-kva.de");
    }

    @Test
    void notAnAddressIsEmpty() {
        for (String raw : new String[]{null, "", "ann", "@example.com", "ann@", "ann @example.com",
                "ann@exa\nmple.com", "a".repeat(320) + "@example.com"}) {
            assertThat(SuppressedAddress.normalize(raw)).as(String.valueOf(raw)).isEmpty();
        }
    }

    @Test
    void searchTextIsTakenLiterally() {
        assertThat(SuppressionRepository.likeEscaped("a_b%c\\d")).isEqualTo("a\\_b\\%c\\\\d");
    }

    @Test
    void scopes() {
        Suppression bounce = Suppression.bounce("ann@example.com", "Permanent bounce", "12", "acme", "m-1");
        assertThat(bounce.platformWide()).isTrue();
        assertThat(bounce.sourceOrganizationId()).isEqualTo("acme");
        Suppression complaint = Suppression.complaint("acme", "ann@example.com", "Complaint", null, "m-2");
        assertThat(complaint.platformWide()).isFalse();
        assertThat(complaint.organizationId()).isEqualTo("acme");
        assertThat(SuppressionType.fromWire("complaint")).isEqualTo(SuppressionType.COMPLAINT);
        assertThatThrownBy(() -> Suppression.complaint(null, "a@b.c", null, null, null))
                .isInstanceOf(NullPointerException.class);
    }
}
