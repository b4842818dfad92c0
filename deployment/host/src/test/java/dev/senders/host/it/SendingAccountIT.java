package dev.senders.host.it;

import dev.senders.sandbox.SesStub;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/senders/account} (issue 16): every organization sees the sandbox state, the limits that apply to it
 * and its own sends; the account-wide figures (SES quota, maximum rate, the whole account's 24-hour volume) are for
 * platform admins.
 */
@ExtendWith(ArquillianExtension.class)
class SendingAccountIT {

    /** Keys of the account-wide figures, which no organization may see. */
    private static final List<String> ACCOUNT_WIDE_KEYS = List.of("accountWide", "max24HourSend", "maxSendRate",
            "sentLast24Hours", "quota");

    @ArquillianResource
    URL base;

    private static String tag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void anOrganizationSeesItsLimitsAndItsOwnSendsButNoAccountWideFigure() {
        TestUsers.User a = TestUsers.inNewOrganization();
        TestUsers.User b = TestUsers.inNewOrganization();
        Api asA = Api.as(base, a);
        Api asB = Api.as(base, b);
        // A: three through SES from its verified domain, one through Resend (a From on a domain it has not verified)
        String domainA = "account-" + tag() + ".com";
        Campaigns.verifiedDefault(asA, "news@" + domainA);
        Campaigns.startAndAwait(asA, Campaigns.create(asA, "news@" + domainA, "Hi", recipients(3)));
        Campaigns.startAndAwait(asA, Campaigns.create(asA, "news@elsewhere-" + tag() + ".com", "Hi", recipients(1)));
        // B: two through Resend (no verified domain)
        Campaigns.startAndAwait(asB, Campaigns.create(asB, "news@shop-" + tag() + ".com", "Hi", recipients(2)));

        Api admin = Api.as(base, TestUsers.create("platform", "user", "senders-admin"));
        JsonObject asAdmin = admin.get("api/senders/account").json();
        JsonObject ofA = asA.get("api/senders/account").json();
        JsonObject ofB = asB.get("api/senders/account").json();

        // the admin sees the account-wide figures, as SES told them (read at most once a minute, so the quota may be
        // the one of a minute ago; no test changes the rate)
        JsonObject wide = asAdmin.getJsonObject("accountWide").getJsonObject("ses");
        double quota = wide.getJsonNumber("max24HourSend").doubleValue();
        double maxRate = wide.getJsonNumber("maxSendRate").doubleValue();
        assertThat(quota).isPositive();
        assertThat(maxRate).isEqualTo(TestEnvironment.ses().maxSendRate());
        assertThat(wide.getJsonNumber("sentLast24Hours").doubleValue()).isNotNegative();

        for (JsonObject tenant : List.of(ofA, ofB)) {
            assertThat(keys(tenant)).as(tenant.toString()).doesNotContainAnyElementsOf(ACCOUNT_WIDE_KEYS);
            assertThat(numbers(tenant)).as("numbers of " + tenant).doesNotContain(quota, maxRate,
                    TestEnvironment.ses().max24HourSend(), TestEnvironment.ses().maxSendRate());
            // the sandbox state
            assertThat(tenant.getBoolean("localSandbox")).isFalse();
            assertThat(tenant.getJsonObject("ses").getBoolean("local")).as("the stub SES is on loopback").isTrue();
            assertThat(tenant.getJsonObject("resend").getBoolean("local")).as("the stub Resend is on loopback").isTrue();
            assertThat(tenant.getJsonObject("ses").getBoolean("available")).isTrue();
            assertThat(tenant.getJsonObject("ses").getBoolean("sandbox"))
                    .isEqualTo(asAdmin.getJsonObject("ses").getBoolean("sandbox"));
            // the limits that apply to it
            JsonObject limits = tenant.getJsonObject("limits");
            assertThat(limits.getJsonNumber("organizationShare").doubleValue()).isEqualTo(0.8);
            assertThat(limits.getInt("recipientsPerMessage")).isEqualTo(1);
            JsonObject resend = limits.getJsonObject("resend");
            // the enforced rate: Resend's limit times the default headroom, 0.92
            assertThat(resend.getJsonNumber("ratePerSecond").doubleValue())
                    .isCloseTo(TestEnvironment.RESEND_RATE * 0.92, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(resend.getJsonNumber("ratePerSecondWhileOthersSend").doubleValue())
                    .isCloseTo(TestEnvironment.RESEND_RATE * 0.92 * 0.8, org.assertj.core.data.Offset.offset(1e-9));
            JsonObject ses = limits.getJsonObject("ses");
            assertThat(ses.getJsonNumber("ratePerSecond").doubleValue()).isPositive().isLessThan(maxRate);
            assertThat(ses.getJsonNumber("ratePerSecondWhileOthersSend").doubleValue())
                    .isEqualTo(ses.getJsonNumber("ratePerSecond").doubleValue() * 0.8, org.assertj.core.data.Offset
                            .offset(1e-9));
        }
        // its own sends only
        assertThat(sent(ofA, "ses")).isEqualTo(3);
        assertThat(sent(ofA, "resend")).isEqualTo(1);
        assertThat(sent(ofB, "ses")).isZero();
        assertThat(sent(ofB, "resend")).isEqualTo(2);
        // the admin's own usage is its organization's (none), beside the account-wide figures
        assertThat(sent(asAdmin, "ses") + sent(asAdmin, "resend")).isZero();
        assertThat(asAdmin.getJsonObject("limits")).isEqualTo(ofA.getJsonObject("limits"));
    }

    @Test
    void anOrganizationHearsThatSesIsInItsSandboxWithoutTheQuota() {
        Api tenant = Api.as(base, TestUsers.inNewOrganization());
        Api admin = Api.as(base, TestUsers.create("platform", "user", "senders-admin"));
        // the SES sandbox's daily quota; the rate stays (it is what every send of the run is paced by)
        TestEnvironment.ses().setSendQuota(200, SesStub.DEFAULT_MAX_SEND_RATE);
        try {
            // the account is read at most once a minute
            JsonObject seen = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> tenant.get("api/senders/account").json(),
                            json -> json.getJsonObject("ses").getBoolean("sandbox"));
            assertThat(keys(seen)).doesNotContainAnyElementsOf(ACCOUNT_WIDE_KEYS);
            assertThat(numbers(seen)).doesNotContain(200.0);
            JsonObject wide = admin.get("api/senders/account").json().getJsonObject("accountWide")
                    .getJsonObject("ses");
            assertThat(wide.getJsonNumber("max24HourSend").doubleValue()).isEqualTo(200.0);
            assertThat(wide.getJsonNumber("maxSendRate").doubleValue()).isEqualTo(SesStub.DEFAULT_MAX_SEND_RATE);
        } finally {
            TestEnvironment.ses().setSendQuota(SesStub.DEFAULT_MAX_24_HOUR_SEND, SesStub.DEFAULT_MAX_SEND_RATE);
        }
    }

    private static List<String> recipients(int n) {
        List<String> to = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            to.add("r" + i + "-" + tag() + "@inbox-account.net");
        }
        return to;
    }

    private static long sent(JsonObject account, String provider) {
        return account.getJsonObject("usage").getJsonObject("sent").getJsonNumber(provider).longValue();
    }

    /** Every key of every object in the JSON. */
    private static List<String> keys(JsonValue json) {
        List<String> keys = new ArrayList<>();
        if (json instanceof JsonObject o) {
            o.forEach((k, v) -> {
                keys.add(k);
                keys.addAll(keys(v));
            });
        } else if (json instanceof JsonArray a) {
            a.forEach(v -> keys.addAll(keys(v)));
        }
        return keys;
    }

    /** Every number in the JSON. */
    private static List<Double> numbers(JsonValue json) {
        List<Double> numbers = new ArrayList<>();
        if (json instanceof JsonNumber n) {
            numbers.add(n.doubleValue());
        } else if (json instanceof JsonObject o) {
            o.values().forEach(v -> numbers.addAll(numbers(v)));
        } else if (json instanceof JsonArray a) {
            a.forEach(v -> numbers.addAll(numbers(v)));
        }
        return numbers;
    }
}
