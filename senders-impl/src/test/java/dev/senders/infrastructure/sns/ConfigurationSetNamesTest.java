package dev.senders.infrastructure.sns;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigurationSetNamesTest {

    @Test
    void aFittingIdIsUsedAsItIs() {
        assertThat(ConfigurationSetNames.forOrganization("acme")).isEqualTo("senders-acme");
        assertThat(ConfigurationSetNames.forOrganization("org-1234abcd_x")).isEqualTo("senders-org-1234abcd_x");
    }

    @Test
    void otherIdsAreSanitizedWithAHashSoTheyNeverCollide() {
        String upper = ConfigurationSetNames.forOrganization("Acme");
        String spaced = ConfigurationSetNames.forOrganization("acme corp/eu");
        String longId = ConfigurationSetNames.forOrganization("x".repeat(300));
        String unicode = ConfigurationSetNames.forOrganization("müller.de");
        for (String name : new String[]{upper, spaced, longId, unicode}) {
            assertThat(name).matches("[A-Za-z0-9_-]{1,64}").startsWith("senders-");
        }
        assertThat(upper).isNotEqualTo("senders-acme").startsWith("senders-acme-");
        assertThat(spaced).startsWith("senders-acme-corp-eu-");
        assertThat(longId).hasSize(64);
        assertThat(ConfigurationSetNames.forOrganization("x".repeat(301))).isNotEqualTo(longId);
        assertThat(ConfigurationSetNames.forOrganization("Acme")).isEqualTo(upper);
        assertThatThrownBy(() -> ConfigurationSetNames.forOrganization(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
