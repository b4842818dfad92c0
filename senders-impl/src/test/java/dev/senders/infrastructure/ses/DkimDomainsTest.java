package dev.senders.infrastructure.ses;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class DkimDomainsTest {

    @ParameterizedTest
    @CsvSource({
            "ap-southeast-1, dkim.amazonses.com",
            "us-east-1, dkim.amazonses.com",
            "EU-WEST-1, dkim.amazonses.com",
            "ap-southeast-3, dkim.ap-southeast-3.amazonses.com",
            "il-central-1, dkim.il-central-1.amazonses.com",
            "af-south-1, dkim.af-south-1.amazonses.com"})
    void theDkimTargetFollowsTheRegion(String region, String expected) {
        assertThat(DkimDomains.forRegion(region)).isEqualTo(expected);
    }
}
