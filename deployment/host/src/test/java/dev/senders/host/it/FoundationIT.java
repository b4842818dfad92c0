package dev.senders.host.it;

import jakarta.json.JsonObject;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.net.http.HttpRequest;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** The foundation on the real deployment: authentication, tenancy, problem+json errors, the page, migrations. */
@ExtendWith(ArquillianExtension.class)
class FoundationIT {

    @ArquillianResource
    URL base;

    @Test
    void unauthenticatedCallGets401AsProblemJson() {
        Api.Reply reply = Api.anonymous(base).get("api/senders");
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        JsonObject problem = reply.json();
        assertThat(problem.getInt("status")).isEqualTo(401);
        assertThat(problem.getString("type")).isNotBlank();
        assertThat(problem.getString("title")).isNotBlank();
        assertThat(problem.getString("detail")).isNotBlank();
        assertThat(reply.header("WWW-Authenticate")).startsWith("Basic");
    }

    @Test
    void wrongPasswordGets401() {
        Api.Reply reply = Api.as(base, "alice", "not-her-password").get("api/senders");
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.contentType()).startsWith("application/problem+json");
    }

    @Test
    void errorsComeBackAsProblemJsonNamingTheField() {
        Api api = Api.as(base, TestUsers.inNewOrganization());

        Api.Reply badSize = api.get("api/senders?size=1000");
        assertThat(badSize.status()).isEqualTo(400);
        assertThat(badSize.contentType()).startsWith("application/problem+json");
        assertThat(badSize.json().getString("field")).isEqualTo("size");
        assertThat(badSize.json().getString("reason")).contains("between 1 and 100");

        Api.Reply notANumber = api.get("api/senders?page=abc");
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(notANumber.json().getString("field")).isEqualTo("page");

        Api.Reply unknownPath = api.get("api/no-such-thing");
        assertThat(unknownPath.status()).isEqualTo(404);
        assertThat(unknownPath.contentType()).startsWith("application/problem+json");

        Api.Reply unknownId = api.get("api/senders/987654321");
        assertThat(unknownId.status()).isEqualTo(404);
        assertThat(unknownId.json().getInt("status")).isEqualTo(404);
        assertThat(unknownId.body()).doesNotContain("Exception").doesNotContain("at dev.senders");

        Api.Reply wrongMethod = api.send(api.request("api/senders").PUT(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.contentType()).startsWith("application/problem+json");
    }

    @Test
    void demoIdentitiesBelongToTheirOrganizations() {
        JsonObject alice = Api.as(base, "alice", "senders-demo").get("host-api/me").json();
        assertThat(alice.getString("organizationId")).isEqualTo("acme");
        assertThat(alice.getBoolean("platformAdmin")).isFalse();
        JsonObject carol = Api.as(base, "carol", "senders-demo").get("host-api/me").json();
        assertThat(carol.getString("organizationId")).isEqualTo("globex");
        JsonObject admin = Api.as(base, "admin", "senders-demo").get("host-api/me").json();
        assertThat(admin.getBoolean("platformAdmin")).isTrue();
    }

    @Test
    void thePageNeedsSignInAndIsServedByTheModule() {
        Api.Reply anonymous = Api.anonymous(base).send(Api.anonymous(base).request("senders/index.html")
                .header("Accept", "text/html").GET());
        assertThat(anonymous.status()).isEqualTo(302);
        assertThat(anonymous.header("Location")).contains("login.html");

        Api.Reply page = Api.as(base, "alice", "senders-demo").send(Api.as(base, "alice", "senders-demo")
                .request("senders/index.html").header("Accept", "text/html").GET());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>Senders</h1>").contains("+ Add sender");

        Api.Reply analytics = Api.as(base, "alice", "senders-demo").get("analytics.html");
        assertThat(analytics.body()).contains("href=\"senders/\"");
    }

    @Test
    void theDeployedApplicationMigratedTheDatabase() throws SQLException {
        try (var c = TestEnvironment.db().getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("select count(*), bool_and(success) from senders_schema_history"
                     + " where version is not null and version <> '0'")) {
            rs.next();
            assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(1);
            assertThat(rs.getBoolean(2)).isTrue();
        }
    }
}
