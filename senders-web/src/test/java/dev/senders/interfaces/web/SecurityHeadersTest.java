package dev.senders.interfaces.web;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SecurityHeadersTest {

    @Test
    void theDefaultPolicyIsNeverFramedAndSaysSoInXFrameOptionsToo() {
        SecurityHeaders headers = SecurityHeaders.of(SecurityHeaders.DEFAULT_POLICY,
                SecurityHeaders.DEFAULT_REFERRER_POLICY, null);
        assertThat(headers.contentSecurityPolicy()).isEqualTo(SecurityHeaders.DEFAULT_POLICY)
                .contains("script-src 'self'").contains("style-src 'self'").doesNotContain("unsafe-inline");
        assertThat(headers.xFrameOptions()).contains("DENY");
        assertThat(headers.referrerPolicy()).isEqualTo("strict-origin-when-cross-origin");
        assertThat(headers.cacheControl()).isEmpty();
    }

    @Test
    void aPolicyWithoutFrameAncestorsGetsNone() {
        SecurityHeaders headers = SecurityHeaders.of("default-src 'self'; img-src 'self' https:;", "no-referrer", "");
        assertThat(headers.contentSecurityPolicy())
                .isEqualTo("default-src 'self'; img-src 'self' https:; frame-ancestors 'none'");
        assertThat(headers.xFrameOptions()).contains("DENY");
        assertThat(headers.cacheControl()).isEmpty();
    }

    @Test
    void xFrameOptionsFollowsFrameAncestors() {
        assertThat(SecurityHeaders.of("default-src 'self'; frame-ancestors 'self'", "no-referrer", null)
                .xFrameOptions()).contains("SAMEORIGIN");
        assertThat(SecurityHeaders.of("default-src 'self'; FRAME-ANCESTORS  'NONE' ", "no-referrer", null)
                .xFrameOptions()).contains("DENY");
        // origins cannot be said in X-Frame-Options (browsers that know frame-ancestors ignore it anyway)
        assertThat(SecurityHeaders.of("frame-ancestors 'self' https://partner.example", "no-referrer", null)
                .xFrameOptions()).isEqualTo(Optional.empty());
    }

    @Test
    void aDirectiveThatOnlyStartsLikeFrameAncestorsIsNotIt() {
        SecurityHeaders headers = SecurityHeaders.of("default-src 'self'; frame-ancestors-x 'self'", "no-referrer",
                null);
        assertThat(headers.contentSecurityPolicy()).endsWith("; frame-ancestors 'none'");
        assertThat(headers.xFrameOptions()).contains("DENY");
    }

    @Test
    void theApisCacheControl() {
        assertThat(SecurityHeaders.of(SecurityHeaders.DEFAULT_POLICY, "no-referrer", " no-store ").cacheControl())
                .contains("no-store");
    }
}
