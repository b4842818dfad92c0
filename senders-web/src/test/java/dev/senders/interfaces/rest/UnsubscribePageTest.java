package dev.senders.interfaces.rest;

import dev.senders.infrastructure.unsubscribe.TokenCheck;
import dev.senders.infrastructure.unsubscribe.UnsubscribeToken;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnsubscribePageTest {

    @Test
    void theConfirmationPostsTheOneClickBodyToItselfWithoutScriptOrInlineStyle() {
        String page = UnsubscribePage.confirm("bob@example.org");
        assertThat(page).contains("<form method=\"post\">")
                .contains("<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">")
                .contains("<strong>bob@example.org</strong>")
                .contains("<link rel=\"stylesheet\" href=\"page.css\">")
                .doesNotContain("<script").doesNotContain("style=").doesNotContain("<style")
                .doesNotContain(" action=").doesNotContainIgnoringCase("onclick");
    }

    @Test
    void everyValueShownIsEscaped() {
        String hostile = "\"><script>alert(1)</script>'@example.org";
        assertThat(UnsubscribePage.confirm(hostile)).doesNotContain("<script>")
                .contains("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#39;@example.org");
        assertThat(UnsubscribePage.unsubscribed(hostile)).doesNotContain("<script>");
        assertThat(UnsubscribePage.refused("<b>", "a & b")).contains("&lt;b&gt;").contains("a &amp; b");
    }

    @Test
    void refusalsAreTypedProblemsWithFieldAndReason() {
        UnsubscribeToken claims = new UnsubscribeToken("org-1", "bob@example.org", null, LocalDate.of(2026, 1, 1));
        var malformed = UnsubscribeResource.refusal(new TokenCheck(TokenCheck.Outcome.MALFORMED, null)).problem();
        var forged = UnsubscribeResource.refusal(new TokenCheck(TokenCheck.Outcome.FORGED, null)).problem();
        var expired = UnsubscribeResource.refusal(new TokenCheck(TokenCheck.Outcome.EXPIRED, claims)).problem();
        var off = UnsubscribeResource.refusal(new TokenCheck(TokenCheck.Outcome.NOT_CONFIGURED, null)).problem();
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.field()).isEqualTo("token");
        assertThat(malformed.reason()).isEqualTo("malformed");
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.reason()).isEqualTo("invalid-signature");
        assertThat(expired.status()).isEqualTo(410);
        assertThat(expired.reason()).isEqualTo("expired");
        assertThat(off.status()).isEqualTo(404);
        assertThat(UnsubscribeResource.refusal(OneClickBody.Kind.UNSUPPORTED_TYPE).problem().status()).isEqualTo(415);
        assertThat(UnsubscribeResource.refusal(OneClickBody.Kind.MISSING).problem().field())
                .isEqualTo("List-Unsubscribe");
        assertThat(UnsubscribeResource.refusal(OneClickBody.Kind.NOT_ONE_CLICK).problem().reason())
                .isEqualTo("not-one-click");
        assertThat(UnsubscribeResource.refusal(OneClickBody.Kind.MALFORMED).problem().status()).isEqualTo(400);
        assertThatThrownBy(() -> UnsubscribeResource.refusal(new TokenCheck(TokenCheck.Outcome.VALID, claims)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
