package dev.senders.host.it;

import jakarta.json.JsonObject;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Operating the module: health, metrics, OpenAPI and the audit trail (the logs: demo module, NoSecretsInLogsTest). */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsIT {

    @ArquillianResource
    URL base;

    @Test
    @Order(1)
    void aProviderOutageIsReportedButKeepsTheInstanceInService() {
        // SES answers 500 to every status call while the first probe runs (the SDK's retries included)
        TestEnvironment.ses().failNext("GetSendQuota", 10, 500, "InternalFailure", "SES is down");
        Api.Reply ready = root().get("health/ready");
        assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
        JsonObject health = ready.json();
        assertThat(health.getString("status")).isEqualTo("UP");
        JsonObject providers = check(health, "senders-providers");
        assertThat(providers.getString("status")).isEqualTo("UP");
        assertThat(providers.getJsonObject("data").getString("ses")).isEqualTo("unreachable");
        assertThat(providers.getJsonObject("data").getString("resend")).isEqualTo("reachable");
        assertThat(providers.getJsonObject("data").get("degraded").toString()).contains("true");
        JsonObject database = check(health, "senders-database");
        assertThat(database.getString("status")).isEqualTo("UP");
        assertThat(database.getJsonObject("data").get("pendingMigrations").toString().replace("\"", ""))
                .isEqualTo("0");
        TestEnvironment.ses().reset();

        JsonObject live = root().get("health/live").json();
        assertThat(live.getString("status")).isEqualTo("UP");
        assertThat(check(live, "senders-process").getString("status")).isEqualTo("UP");
    }

    @Test
    @Order(2)
    void theAuditTrailRecordsWhoChangedWhatForPlatformAdminsOnly() {
        TestUsers.User user = TestUsers.inNewOrganization();
        Api api = Api.as(base, user);
        String email = "audit@audit-" + UUID.randomUUID().toString().substring(0, 8) + ".com";
        long id = api.post("api/senders", "{\"emailAddress\":\"" + email + "\"}").json()
                .getJsonObject("sender").getJsonNumber("id").longValue();
        assertThat(api.delete("api/senders/" + id).status()).isEqualTo(204);

        Api admin = Api.as(base, TestUsers.create("platform", "user", "senders-admin"));
        JsonObject page = admin.get("api/admin/audit?organizationId=" + user.organizationId()).json();
        assertThat(page.getJsonNumber("total").longValue()).isEqualTo(2);
        JsonObject newest = page.getJsonArray("items").getJsonObject(0);
        assertThat(newest.getString("action")).isEqualTo("sender.removed");
        assertThat(newest.getString("actor")).isEqualTo(user.name());
        assertThat(newest.getString("organizationId")).isEqualTo(user.organizationId());
        assertThat(newest.getString("targetId")).isEqualTo(String.valueOf(id));
        assertThat(newest.getString("occurredAt")).isNotBlank();
        assertThat(page.getJsonArray("items").getJsonObject(1).getString("action")).isEqualTo("sender.added");

        Api.Reply forbidden = api.get("api/admin/audit");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.contentType()).startsWith("application/problem+json");
    }

    @Test
    @Order(3)
    void metricsCountVerificationRuns() {
        Api admin = Api.as(base, TestUsers.create("platform", "user", "senders-admin"));
        assertThat(admin.post("api/admin/verification-runs", "").status()).isEqualTo(200);
        Api.Reply metrics = root().send(root().request("metrics")
                .setHeader("Accept", "text/plain").GET());
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("senders_verification_runs");
    }

    @Test
    @Order(4)
    void theOpenApiDocumentCoversTheEndpointsAndTheProblemSchema() {
        Api.Reply openapi = Api.anonymous(base).send(Api.anonymous(base).request("api/openapi")
                .setHeader("Accept", "application/yaml").GET());
        assertThat(openapi.status()).isEqualTo(200);
        assertThat(openapi.body()).contains("/api/senders").contains("/api/senders/{id}/verify")
                .contains("/api/senders/{id}/set-default").contains("/api/admin/audit")
                .contains("application/problem+json").contains("Problem").contains("Sender already exists");
    }

    /**
     * The server's own MicroProfile OpenAPI document at /openapi: the module's document (unpacked by the host's build
     * to WEB-INF/classes/META-INF/openapi.yaml, as the README tells hosts to do) merged with the host's annotated
     * endpoints.
     */
    @Test
    @Order(4)
    void theServersOpenApiDocumentAtTheRootHasTheModulesEndpointsAndTheHosts() {
        Api.Reply openapi = root().send(root().request("openapi").setHeader("Accept", "*/*").GET());
        assertThat(openapi.status()).as(openapi.body()).isEqualTo(200);
        assertThat(openapi.body()).contains("/api/senders/{id}/verify").contains("/api/webhooks/ses-events")
                .contains("/api/admin/audit").contains("application/problem+json").contains("Problem")
                .contains("Sender already exists")
                .as("the host's own endpoints, scanned by Payara").contains("/host-api/campaigns");
    }

    @Test
    @Order(5)
    void theOpenApiDocumentListsEveryResourcePathOfTheModule() {
        String document = Api.anonymous(base).send(Api.anonymous(base).request("api/openapi")
                .setHeader("Accept", "application/yaml").GET()).body();
        java.util.List<String> missing = new java.util.ArrayList<>();
        for (Class<?> type : new dev.senders.interfaces.rest.SendersApplication().getClasses()) {
            jakarta.ws.rs.Path root = type.getAnnotation(jakarta.ws.rs.Path.class);
            if (root == null || root.value().equals("openapi")) {
                continue;
            }
            for (java.lang.reflect.Method method : type.getMethods()) {
                boolean endpoint = java.util.Arrays.stream(method.getAnnotations()).anyMatch(a ->
                        a.annotationType().isAnnotationPresent(jakarta.ws.rs.HttpMethod.class));
                if (!endpoint) {
                    continue;
                }
                jakarta.ws.rs.Path sub = method.getAnnotation(jakarta.ws.rs.Path.class);
                String path = "/api/" + root.value() + (sub == null ? "" : "/" + sub.value());
                if (!document.contains("  " + path + ":")) {
                    missing.add(path);
                }
            }
        }
        assertThat(missing).as("endpoints missing from the OpenAPI document").isEmpty();
    }

    /** The server's own endpoints (/health, /metrics, /openapi) live at its root, outside the application. */
    private Api root() {
        try {
            return Api.anonymous(new URL(base, "/"));
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject check(JsonObject health, String name) {
        return health.getJsonArray("checks").stream().map(JsonObject.class::cast)
                .filter(c -> c.getString("name").equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no health check " + name + " in " + health));
    }
}
