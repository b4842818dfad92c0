package dev.senders.host.it.ui;

import dev.senders.host.it.Api;
import dev.senders.host.it.ReputationFixtures;
import dev.senders.host.it.TestEnvironment;
import dev.senders.host.it.TestUsers;
import dev.senders.host.it.security.SecurityReport;
import dev.senders.sandbox.LocalDnsServer;
import dev.senders.sandbox.ResendWebhooks;
import dev.senders.sandbox.SesStub;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Senders page in a real browser against the deployed host: the checks V1.2–V1.13 and V2.1–V2.11 of the epic
 * that a person would do by hand, with the stub SES and a real DNS server (dnsmasq) behind the application. Every test
 * signs in as a user of a new organization, so no test sees another one's senders.
 */
@ExtendWith(ArquillianExtension.class)
class SendersPageIT {

    @ArquillianResource
    URL base;

    Browser browser;
    TestUsers.User user;
    Api api;

    /** Closes the browser after each test, after a screenshot if it failed (an @AfterEach would run too early). */
    @RegisterExtension
    final TestWatcher closeBrowser = new TestWatcher() {
        @Override
        public void testSuccessful(ExtensionContext context) {
            quit();
        }

        @Override
        public void testAborted(ExtensionContext context, Throwable cause) {
            quit();
        }

        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser != null) {
                try {
                    browser.screenshot("FAILED-" + context.getRequiredTestMethod().getName());
                } catch (RuntimeException ignored) {
                    // the browser may be what failed
                }
            }
            quit();
        }
    };

    /** The application as the browser sees it: on 127.0.0.1, where Payara Micro listens (not "localhost"). */
    String site;

    @BeforeEach
    void signIn() {
        user = TestUsers.inNewOrganization();
        api = Api.as(base, user);
        site = base.toString().replaceFirst("://localhost([:/])", "://127.0.0.1$1");
        if (!site.endsWith("/")) {
            site += "/";
        }
        browser = Browser.start();
        browser.grantClipboard(site);
        signInThroughForm("/senders/");
        waitForTable();
    }

    /**
     * Every test's pages (the sign-in page included) run under the Content-Security-Policy their responses carry:
     * a violation reported in the console fails the test.
     */
    @AfterEach
    void noContentSecurityPolicyViolation() {
        if (browser != null) {
            assertThat(browser.contentSecurityPolicyViolations()).as("Content-Security-Policy violations in the console")
                    .isEmpty();
        }
    }

    // ------------------------------------------------------------------------------------------ V1.2

    @Test
    void v1_2_sendersPageHasHeaderAndAddButton() {
        WebElement heading = browser.find(By.cssSelector("main h1"));
        WebElement add = browser.find(By.id("add-sender"));
        assertThat(heading.getText()).isEqualTo("Senders");
        assertThat(add.getTagName()).isEqualTo("button");
        assertThat(add.getText()).isEqualTo("+ Add sender");
        assertThat(add.getRect().getX()).as("button on the right of the title")
                .isGreaterThan(heading.getRect().getX() + heading.getRect().getWidth());
        assertThat(Math.abs(add.getRect().getY() + add.getRect().getHeight() / 2
                - (heading.getRect().getY() + heading.getRect().getHeight() / 2))).as("same row").isLessThan(12);

        List<String> columns = browser.findAll(By.cssSelector("#senders-table thead th")).stream()
                .map(th -> th.getDomProperty("textContent").trim()).toList();
        assertThat(columns).containsExactly("Email Address", "Status", "Created", "Actions");
        assertThat(browser.find(By.cssSelector("#senders-table caption")).getDomProperty("textContent"))
                .isEqualTo("Senders");

        boolean sandbox = api.get("api/senders/account").json().getBoolean("localSandbox", false);
        assertThat(browser.find(By.id("sandbox-banner")).isDisplayed()).isEqualTo(sandbox);
        if (sandbox) {
            assertThat(browser.find(By.id("sandbox-banner")).getText())
                    .isEqualTo("Sandbox: no email leaves this machine");
        }
    }

    // ------------------------------------------------------------------------------------------ V1.3

    @Test
    void v1_3_addSenderOpensStepOne() {
        browser.find(By.id("add-sender")).click();
        WebElement dialog = awaitDialogOpen();

        WebElement heading = browser.find(By.id("step-email-title"));
        assertThat(heading.getText()).isEqualTo("Which email address you prefer to use?");
        assertThat(dialog.getDomAttribute("aria-labelledby")).isEqualTo("step-email-title");
        assertThat(dialog.getDomAttribute("aria-modal")).isEqualTo("true");
        assertThat(browser.find(By.cssSelector("label[for='email-input']")).getText()).isEqualTo("Email address");
        assertThat(browser.activeElement().getDomAttribute("id")).isEqualTo("email-input");
        WebElement submit = browser.find(By.id("email-submit"));
        assertThat(submit.getText()).isEqualTo("Add Sender");
        assertThat(submit.getTagName()).isEqualTo("button");
        assertThat(browser.find(By.id("step-dns")).isDisplayed()).isFalse();
    }

    // ------------------------------------------------------------------------------------------ V1.4

    @Test
    void v1_4_invalidEmailCannotProceed() {
        browser.find(By.id("add-sender")).click();
        awaitDialogOpen();
        WebElement input = browser.find(By.id("email-input"));
        input.sendKeys("not-an-email");
        browser.find(By.id("email-submit")).click();

        WebElement error = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("email-error")));
        assertThat(error.getText()).contains("valid email address");
        assertThat(input.getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(input.getDomAttribute("aria-describedby")).contains("email-error");
        assertThat(browser.activeElement().getDomAttribute("id")).isEqualTo("email-input");
        browser.screenshot("dialog-step1-validation-error");

        // pressing Enter does not get past it either
        input.sendKeys(Keys.ENTER);
        assertThat(browser.find(By.id("step-email")).isDisplayed()).isTrue();
        assertThat(browser.find(By.id("step-dns")).isDisplayed()).isFalse();
        assertThat(total()).as("nothing was created").isZero();

        // typing a valid address clears the error as you type
        input.clear();
        input.sendKeys(newEmail());
        browser.await(ExpectedConditions.invisibilityOfElementLocated(By.id("email-error")));
        assertThat(input.getDomAttribute("aria-invalid")).isNull();
    }

    @Test
    void v1_4_serverSideRejectionIsShownUnderTheInput() {
        String reserved = "news@example.com";
        Api.Reply direct = api.post("api/senders", Json.createObjectBuilder().add("emailAddress", reserved)
                .build().toString());
        assertThat(direct.status()).as(direct.toString()).isEqualTo(400);

        browser.find(By.id("add-sender")).click();
        awaitDialogOpen();
        browser.find(By.id("email-input")).sendKeys(reserved);
        browser.find(By.id("email-submit")).click();

        WebElement error = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("email-error")));
        assertThat(error.getText()).isEqualTo(direct.json().getString("detail"));
        assertThat(browser.find(By.id("email-input")).getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.find(By.id("step-dns")).isDisplayed()).isFalse();
    }

    // ------------------------------------------------------------------------------------------ V1.5

    @Test
    void v1_5_validEmailShowsDnsRecords() {
        String email = newEmail();
        addThroughDialog(email);

        WebElement dialog = browser.find(By.id("sender-dialog"));
        assertThat(dialog.getDomAttribute("aria-labelledby")).isEqualTo("step-dns-title");
        assertThat(browser.find(By.id("step-dns-title")).getText()).isEqualTo("Configure DNS Records");
        String text = browser.find(By.id("step-dns")).getText();
        assertThat(text).contains("Add these records to your Cloudflare DNS settings")
                .contains("DNS only")
                .contains("DNS verification can take up to 72 hours")
                .contains(email);
        assertThat(browser.findAll(By.cssSelector("#dns-records table.dns tbody tr.record"))).isNotEmpty();
        assertThat(browser.find(By.id("step-email")).isDisplayed()).isFalse();
        browser.screenshot("dialog-step2-dns-records");
    }

    // ------------------------------------------------------------------------------------------ V1.7

    @Test
    void v1_7_stepTwoShowsTxtAndThreeDkimCnames() {
        String email = newEmail();
        addThroughDialog(email);
        JsonObject details = api.get("api/senders/" + senderId(email)).json();
        var records = details.getJsonArray("dnsRecords");

        List<WebElement> rows = browser.findAll(By.cssSelector("#dns-records table.dns tbody tr.record"));
        assertThat(rows).hasSize(records.size());

        long verificationTxt = rows.stream().filter(r -> "TXT".equals(r.getDomAttribute("data-type"))
                && "Domain verification".equals(r.getDomAttribute("data-purpose"))).count();
        long dkimCnames = rows.stream().filter(r -> "CNAME".equals(r.getDomAttribute("data-type"))
                && "DKIM".equals(r.getDomAttribute("data-purpose"))).count();
        assertThat(verificationTxt).isEqualTo(1);
        assertThat(dkimCnames).isEqualTo(3);

        for (int i = 0; i < records.size(); i++) {
            JsonObject record = records.getJsonObject(i);
            WebElement row = rows.get(i);
            assertThat(row.findElement(By.cssSelector(".rr-type")).getText()).isEqualTo(record.getString("type"));
            WebElement name = row.findElement(By.cssSelector(".rr-name"));
            assertThat(name.getText()).isEqualTo(record.getString("relativeName"));
            assertThat(name.getDomAttribute("title")).isEqualTo(record.getString("name"));
            assertThat(row.findElement(By.cssSelector(".rr-value")).getText()).isEqualTo(record.getString("value"));
            assertThat(row.findElement(By.cssSelector(".cell-required")).getText())
                    .isEqualTo(record.getBoolean("required") ? "Required" : "Recommended");
            assertThat(row.findElement(By.cssSelector("button[aria-label='Copy name']")).isDisplayed()).isTrue();
            assertThat(row.findElement(By.cssSelector("button[aria-label='Copy value']")).isDisplayed()).isTrue();
            if ("DKIM".equals(record.getString("purpose"))) {
                assertThat(record.getString("relativeName")).endsWith("._domainkey");
            }
        }
        WebElement spf = rows.stream().filter(r -> "SPF".equals(r.getDomAttribute("data-purpose"))).findFirst()
                .orElseThrow(() -> new AssertionError("no SPF record shown"));
        assertThat(spf.findElement(By.cssSelector(".cell-required")).getText()).isEqualTo("Recommended");
    }

    // ------------------------------------------------------------------------------------------ V1.8

    @Test
    void v1_8_copyButtonPutsValueOnClipboard() {
        String email = newEmail();
        addThroughDialog(email);
        JsonObject verification = recordOf(email, "Domain verification");

        WebElement row = browser.find(By.cssSelector("#dns-records tr[data-purpose='Domain verification']"));
        WebElement copyValue = row.findElement(By.cssSelector("button[aria-label='Copy value']"));
        copyValue.click();
        browser.await(ExpectedConditions.textToBePresentInElement(copyValue, "Copied"));
        assertThat(browser.readClipboard()).isEqualTo(verification.getString("value"));

        JsonObject dkim = recordOf(email, "DKIM");
        WebElement dkimRow = browser.findAll(By.cssSelector("#dns-records tr[data-purpose='DKIM']")).get(0);
        WebElement copyName = dkimRow.findElement(By.cssSelector("button[aria-label='Copy name']"));
        copyName.click();
        browser.await(ExpectedConditions.textToBePresentInElement(copyName, "Copied"));
        assertThat(browser.readClipboard()).isEqualTo(dkim.getString("relativeName"));
        // the feedback goes away again
        browser.await(ExpectedConditions.textToBePresentInElement(copyValue, "Copy"));
    }

    // ------------------------------------------------------------------------------------------ V1.9

    @Test
    void v1_9_newSenderAppearsAsPending() {
        String email = newEmail();
        addThroughDialog(email);
        browser.find(By.id("dns-done")).click();
        awaitDialogClosed();
        assertThat(browser.awaitFocusOn(browser.find(By.id("add-sender"))).getDomAttribute("id"))
                .isEqualTo("add-sender");

        WebElement row = awaitRow(email);
        WebElement badge = row.findElement(By.cssSelector(".badge"));
        assertThat(badge.getText()).isEqualTo("Pending");
        assertThat(badge.getDomAttribute("class")).contains("badge-pending");
        WebElement created = row.findElement(By.cssSelector("time"));
        assertThat(created.getText()).matches("just now|1 minute ago|\\d+ minutes ago");
        assertThat(created.getDomAttribute("title")).isNotBlank();
        JsonObject sender = api.get("api/senders/" + senderId(email)).json();
        JsonObject json = sender.containsKey("sender") ? sender.getJsonObject("sender") : sender;
        assertThat(Instant.parse(created.getDomAttribute("datetime"))).isEqualTo(
                OffsetDateTime.parse(json.getString("createdAt")).toInstant().truncatedTo(ChronoUnit.MILLIS));
        assertThat(browser.find(By.id("pager-text")).getText()).isEqualTo("Page 1 - 1 of 1 senders");
    }

    @Test
    void statusBadgesRelativeTimesAndScreenshot() throws SQLException {
        String domain = randomDomain();
        insertSender("hello@" + domain, "verified", "2 days");
        insertSender("billing@" + domain, "failed", "5 hours");
        insertSender("team@" + domain, "verifying", "12 minutes");
        String pending = newEmail();
        api.post("api/senders", emailJson(pending));
        browser.driver.navigate().refresh();
        waitForTable();

        assertBadge("hello@" + domain, "Verified", "badge-verified", "2 days ago");
        assertBadge("billing@" + domain, "Failed", "badge-failed", "5 hours ago");
        assertBadge("team@" + domain, "Verifying", "badge-verifying", "12 minutes ago");
        assertThat(awaitRow(pending).findElement(By.cssSelector(".badge")).getText()).isEqualTo("Pending");
        List<String> order = browser.findAll(By.cssSelector("#sender-rows .email-link")).stream()
                .map(WebElement::getText).toList();
        assertThat(order).as("newest first").containsExactly(pending, "team@" + domain, "billing@" + domain,
                "hello@" + domain);
        assertThat(browser.find(By.id("pager-text")).getText()).isEqualTo("Page 1 - 1 of 4 senders");
        browser.screenshot("senders-page-with-rows");
    }

    @Test
    void clickingAnEmailShowsItsDnsRecords() {
        String email = newEmail();
        Api.Reply created = api.post("api/senders", emailJson(email));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        browser.driver.navigate().refresh();
        waitForTable();

        WebElement link = awaitRow(email).findElement(By.cssSelector(".email-link"));
        assertThat(link.getTagName()).isEqualTo("button");
        link.click();
        awaitDialogOpen();
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("step-dns")));
        awaitRecordsLoaded();
        assertThat(browser.find(By.id("step-dns-title")).getText()).isEqualTo("Configure DNS Records");
        assertThat(browser.find(By.id("dns-sender")).getText()).contains(email).contains("Pending");
        var records = created.json().getJsonArray("dnsRecords");
        List<String> values = browser.findAll(By.cssSelector("#dns-records .rr-value")).stream()
                .map(WebElement::getText).toList();
        List<String> expected = new ArrayList<>();
        records.forEach(r -> expected.add(r.asJsonObject().getString("value")));
        assertThat(values).containsExactlyElementsOf(expected);

        new Actions(browser.driver).sendKeys(Keys.ESCAPE).perform();
        awaitDialogClosed();
        browser.await(d -> email.equals(browser.activeElement().getText()));
    }

    // ----------------------------------------------------------------------------------------- V1.11

    @Test
    void v1_11_sameEmailAgainShowsSenderAlreadyExists() {
        String email = newEmail();
        assertThat(api.post("api/senders", emailJson(email)).status()).isEqualTo(201);

        browser.find(By.id("add-sender")).click();
        awaitDialogOpen();
        browser.find(By.id("email-input")).sendKeys(email);
        browser.find(By.id("email-submit")).click();
        WebElement error = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("email-error")));
        assertThat(error.getText()).isEqualTo("Sender already exists");
        assertThat(browser.find(By.id("step-dns")).isDisplayed()).isFalse();
        assertThat(total()).isEqualTo(1);

        // issue 16: the same address with its local part in capitals is the same sender
        WebElement input = browser.find(By.id("email-input"));
        input.clear();
        input.sendKeys(email.substring(0, email.indexOf('@')).toUpperCase(java.util.Locale.ROOT)
                + email.substring(email.indexOf('@')));
        browser.find(By.id("email-submit")).click();
        browser.await(d -> "false".equals(d.findElement(By.id("sender-dialog")).getDomAttribute("aria-busy")));
        assertThat(browser.find(By.id("email-error")).getText()).isEqualTo("Sender already exists");
        assertThat(total()).isEqualTo(1);
    }

    // -------------------------------------------------------------------------------- issue 16: hostile input

    /**
     * An email input drops the line breaks of pasted text before the script sees it, so "a@acme.io" + newline +
     * "Bcc: x@y.io" would reach the server as one word and be refused as "not a group": the page refuses the paste
     * itself, with the server's line-break message, and leaves the input as it was.
     */
    @Test
    void pastingAnAddressFollowedByAHeaderLineIsRefusedAsALineBreak() {
        browser.find(By.id("add-sender")).click();
        awaitDialogOpen();
        WebElement input = browser.find(By.id("email-input"));
        String expected = api.post("api/senders", emailJson("news@acme-" + UUID.randomUUID().toString()
                .substring(0, 6) + ".com\nBcc: x@inbox-paste.net")).json().getString("detail");

        for (String pasted : List.of("news@acme.io\nBcc: x@inbox-paste.net", "news@acme.io\r\nBcc: x@inbox-paste.net",
                "news@acme.io\u2028Cc: x@inbox-paste.net")) {
            input.clear();
            paste(input, pasted);
            WebElement error = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("email-error")));
            assertThat(error.getText()).as(pasted).isEqualTo(expected).isEqualTo("The email address can't contain"
                    + " line breaks");
            assertThat(input.getDomProperty("value")).as("nothing was pasted").isEmpty();
            assertThat(input.getDomAttribute("aria-invalid")).isEqualTo("true");
        }
        // a copied line with its line break at the end is just the address
        paste(input, "news@acme.io\n");
        assertThat(input.getDomProperty("value")).isEqualTo("news@acme.io");
        assertThat(browser.find(By.id("email-error")).isDisplayed()).as("the error follows the new value").isFalse();
        assertThat(total()).isZero();
    }

    /**
     * A homograph typed into the page: whatever form Chromium's email input gives it (it converts the domain to
     * A-labels), the page shows the server's mixed-script or homograph message, never "not a valid domain name".
     */
    @Test
    void aHomographTypedInThePageGetsTheMixedScriptOrHomographMessage() {
        browser.find(By.id("add-sender")).click();
        awaitDialogOpen();
        WebElement input = browser.find(By.id("email-input"));
        for (String[] typed : List.of(new String[]{"news@p\u0430ypal.com", "mixed-script"},
                new String[]{"news@p\u0430yp\u0430\u04cf.com", "mixed-script"},
                new String[]{"news@\u0430\u0440\u0440\u04cf\u0435.com", "homograph"})) {
            input.clear();
            input.sendKeys(typed[0]);
            String value = input.getDomProperty("value");
            Api.Reply direct = api.post("api/senders", emailJson(value));
            assertThat(direct.status()).as(direct.toString()).isEqualTo(400);
            assertThat(direct.json().getString("reason")).as("what the server says of " + value + " (typed "
                    + typed[0] + ")").isEqualTo(typed[1]);
            browser.find(By.id("email-submit")).click();
            browser.await(d -> "false".equals(d.findElement(By.id("sender-dialog")).getDomAttribute("aria-busy"))
                    && d.findElement(By.id("email-error")).isDisplayed());
            assertThat(browser.find(By.id("email-error")).getText()).as(typed[0])
                    .isEqualTo(direct.json().getString("detail")).contains("imitate other domains");
        }
        assertThat(total()).isZero();
    }

    /** Puts {@code text} on the clipboard and pastes it into {@code input} with the keyboard, as a person would. */
    private void paste(WebElement input, String text) {
        Object written = ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "navigator.clipboard.writeText(arguments[0]).then(() => done('ok'), e => done('ERROR: ' + e));",
                text);
        assertThat(written).isEqualTo("ok");
        input.click();
        input.sendKeys(Keys.chord(Keys.CONTROL, "v"));
    }

    // ----------------------------------------------------------------------------------------- V1.12

    @Test
    void v1_12_deleteViaActionMenuWithConfirmation() {
        String email = newEmail();
        String other = newEmail();
        assertThat(api.post("api/senders", emailJson(email)).status()).isEqualTo(201);
        assertThat(api.post("api/senders", emailJson(other)).status()).isEqualTo(201);
        long id = senderId(email);
        browser.driver.navigate().refresh();
        waitForTable();

        // Cancel keeps it
        WebElement actions = openActionsMenu(email);
        browser.find(By.id("menu-delete")).click();
        WebElement confirm = awaitConfirmOpen();
        assertThat(confirm.getDomAttribute("role")).isEqualTo("alertdialog");
        assertThat(confirm.getText()).contains(email);
        assertThat(browser.activeElement().getDomAttribute("id")).isEqualTo("confirm-cancel");
        browser.find(By.id("confirm-cancel")).click();
        browser.await(d -> !confirm.isDisplayed());
        assertThat(browser.awaitFocusOn(actions)).isEqualTo(actions);
        assertThat(api.get("api/senders/" + id).status()).isEqualTo(200);

        // Delete removes it
        openActionsMenu(email);
        browser.find(By.id("menu-delete")).click();
        awaitConfirmOpen();
        browser.find(By.id("confirm-delete")).click();
        browser.await(ExpectedConditions.invisibilityOfElementLocated(By.id("confirm-dialog")));
        browser.await(ExpectedConditions.numberOfElementsToBe(rowLocator(email), 0));
        awaitRow(other);
        browser.await(ExpectedConditions.textToBe(By.id("pager-text"), "Page 1 - 1 of 1 senders"));

        // deleted, not gone: hidden from the list and restorable for the window (issue 18's deletion safety)
        JsonObject deleted = api.get("api/senders/" + id).json();
        assertThat(deleted.getJsonObject("sender").isNull("restorableUntil")).as(deleted.toString()).isFalse();
        assertThat(deleted.getJsonArray("dnsRecords")).isEmpty();
        JsonObject list = api.get("api/senders").json();
        assertThat(list.getJsonNumber("total").longValue()).isEqualTo(1);
        assertThat(list.getJsonArray("items").getJsonObject(0).getString("emailAddress")).isEqualTo(other);
        assertThat(browser.activeElement().getDomAttribute("aria-label")).isEqualTo("Actions for " + other);
    }

    @Test
    void deleteRefusedByTheServerShowsTheProblemDetail() throws SQLException {
        String email = newEmail();
        assertThat(api.post("api/senders", emailJson(email)).status()).isEqualTo(201);
        long id = senderId(email);
        // a campaign 'sending' with one item claimed just now by another worker: the host's resume job (every 15 s)
        // leaves it alone, so it stays active for the whole test (an empty one was completed under the test)
        try (var c = TestEnvironment.db().getConnection(); var insert = c.prepareStatement(
                "with campaign as (insert into campaigns (organization_id, name, sender_email, subject, status)"
                        + " values (?, 'Spring sale', ?, 'Hello', 'sending') returning id)"
                        + " insert into campaign_items (campaign_id, organization_id, recipient, status, claimed_by,"
                        + " claimed_at) select id, ?, 'reader@inbox.net', 'sending', 'another-worker', now()"
                        + " from campaign")) {
            insert.setString(1, user.organizationId());
            insert.setString(2, email);
            insert.setString(3, user.organizationId());
            insert.executeUpdate();
        }
        try {
            refusedDeletion(email, id);
        } finally {
            // not left behind for the resume job to take up, once its claim is stale, inside whatever test runs then
            try (var c = TestEnvironment.db().getConnection(); var s = c.createStatement()) {
                s.executeUpdate("delete from campaign_items where organization_id = '" + user.organizationId() + "'");
                s.executeUpdate("delete from campaigns where organization_id = '" + user.organizationId()
                        + "' and name = 'Spring sale'");
            }
        }
    }

    private void refusedDeletion(String email, long id) {
        browser.driver.navigate().refresh();
        waitForTable();

        openActionsMenu(email);
        browser.find(By.id("menu-delete")).click();
        awaitConfirmOpen();
        browser.find(By.id("confirm-delete")).click();
        WebElement error = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-error")));
        Api.Reply refused = api.delete("api/senders/" + id);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(error.getText()).isEqualTo(refused.json().getString("detail"));
        assertThat(browser.find(By.id("confirm-delete")).isEnabled()).isTrue();

        new Actions(browser.driver).sendKeys(Keys.ESCAPE).perform();
        browser.await(ExpectedConditions.invisibilityOfElementLocated(By.id("confirm-dialog")));
        awaitRow(email);
    }

    // ----------------------------------------------------------------------------------------- V1.13

    // ------------------------------------------------------------------------------------------ reputation (issue 17)

    @Test
    void theReputationPanelShowsTheStateTheRatesAndTheEventsBehindIt() {
        // a new organization: in good standing, nothing counted yet
        WebElement panel = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("reputation")));
        assertThat(panel.findElement(By.id("reputation-state")).getText()).isEqualTo("Good standing");
        assertThat(browser.find(By.id("reputation-no-events")).isDisplayed()).isTrue();
        assertThat(browser.findAll(By.cssSelector("#reputation-rows tr"))).hasSize(2);

        // 1000 sends through SES and 400 through Resend (under the minimum volume); 40 permanent bounces through the SNS webhook (4%) and a
        // complaint through Resend's
        String organization = user.organizationId();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String ses = "ses-" + tag + "-";
        String re = "re-" + tag + "-";
        List<String> sesIds = ReputationFixtures.seedSends(organization, "ses", ses, 1000);
        List<String> resendIds = ReputationFixtures.seedSends(organization, "resend", re, 400);
        try {
            for (int i = 0; i < 40; i++) {
                assertThat(ReputationFixtures.postSes(base, dev.senders.host.it.SesEvents.bounce(sesIds.get(i),
                        ReputationFixtures.recipientOf(sesIds.get(i), ses), "Permanent")).status()).isEqualTo(200);
            }
            assertThat(ReputationFixtures.postResend(base, ResendWebhooks.complained(resendIds.get(0),
                    ReputationFixtures.recipientOf(resendIds.get(0), re))).status()).isEqualTo(200);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> "paused".equals(ReputationFixtures.state(organization)));

            browser.driver.navigate().refresh();
            waitForTable();
            panel = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("reputation")));
            browser.await(d -> d.findElement(By.id("reputation-state")).getText().equals("Sending paused"));
            assertThat(panel.findElement(By.cssSelector("#reputation-state .badge")).getDomAttribute("class"))
                    .contains("badge-paused");
            assertThat(browser.find(By.id("reputation-summary")).getText())
                    .startsWith("Sending is paused: the Amazon SES bounce rate reached 4.00% (threshold 4.00%)");
            WebElement sesRow = browser.find(By.cssSelector("#reputation-rows tr[data-provider='ses']"));
            assertThat(sesRow.getText()).contains("1,000").contains("4.00%");
            assertThat(sesRow.findElement(By.cssSelector(".rate-paused")).getText()).isEqualTo("4.00%");
            WebElement resendRow = browser.find(By.cssSelector("#reputation-rows tr[data-provider='resend']"));
            assertThat(resendRow.getText()).contains("400").contains("0.25%").contains("not counted yet");
            List<WebElement> events = browser.findAll(By.cssSelector("#reputation-events li"));
            assertThat(events).as("the latest bounces and complaints behind it").hasSize(20);
            assertThat(events.get(0).getText()).contains("Complaint")
                    .contains(ReputationFixtures.recipientOf(resendIds.get(0), re));
            assertThat(events.get(1).getText()).contains("Bounce").contains("Amazon SES")
                    .contains("smtp; 550 5.1.1 user unknown");
            browser.script("document.getElementById('reputation').scrollIntoView()");
            browser.screenshot("reputation-panel-paused");
        } finally {
            ReputationFixtures.forget(organization);
        }
    }

    @Test
    void v1_13_analyticsButtonLeadsToSenders() {
        browser.driver.get(site + "analytics.html");
        WebElement button = browser.await(ExpectedConditions.elementToBeClickable(By.id("to-senders")));
        button.click();
        browser.await(ExpectedConditions.urlMatches("/senders/(index\\.html)?$"));
        waitForTable();
        assertThat(browser.find(By.cssSelector("main h1")).getText()).isEqualTo("Senders");
        assertThat(browser.find(By.id("add-sender")).isDisplayed()).isTrue();
    }

    // ------------------------------------------------------------------------------ table, pages, keyboard

    @Test
    void emptyStateAndFooter() {
        WebElement empty = browser.find(By.id("empty"));
        assertThat(empty.isDisplayed()).isTrue();
        assertThat(empty.getText()).isEqualTo("No senders yet. Click '+ Add sender' to get started");
        assertThat(browser.find(By.id("pager-text")).getText()).isEqualTo("Page 1 - 1 of 0 senders");
        assertThat(browser.find(By.id("prev-page")).isDisplayed()).isFalse();
        assertThat(browser.find(By.id("next-page")).isDisplayed()).isFalse();

        String email = newEmail();
        assertThat(api.post("api/senders", emailJson(email)).status()).isEqualTo(201);
        browser.driver.navigate().refresh();
        waitForTable();
        awaitRow(email);
        assertThat(browser.find(By.id("empty")).isDisplayed()).isFalse();
        assertThat(browser.find(By.id("pager-text")).getText()).isEqualTo("Page 1 - 1 of 1 senders");
        assertThat(browser.find(By.id("next-page")).isDisplayed()).isFalse();
    }

    @Test
    void moreThanTwentySendersArePaged() throws SQLException {
        String domain = randomDomain();
        for (int i = 1; i <= 21; i++) {
            insertSender("list" + i + "@" + domain, "verified", (100 - i) + " minutes");
        }
        browser.driver.navigate().refresh();
        waitForTable();
        assertThat(browser.find(By.id("pager-text")).getText()).isEqualTo("Page 1 - 2 of 21 senders");
        assertThat(browser.findAll(By.cssSelector("#sender-rows tr"))).hasSize(20);
        assertThat(browser.find(By.id("prev-page")).isEnabled()).isFalse();

        browser.find(By.id("next-page")).click();
        browser.await(ExpectedConditions.textToBe(By.id("pager-text"), "Page 2 - 2 of 21 senders"));
        List<WebElement> rows = browser.findAll(By.cssSelector("#sender-rows tr"));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getText()).contains("list1@" + domain);
        assertThat(browser.find(By.id("next-page")).isEnabled()).isFalse();

        browser.find(By.id("prev-page")).click();
        browser.await(ExpectedConditions.textToBe(By.id("pager-text"), "Page 1 - 2 of 21 senders"));
        assertThat(browser.findAll(By.cssSelector("#sender-rows tr")).get(0).getText()).contains("list21@" + domain);
    }

    @Test
    void dialogIsKeyboardAccessible() throws SQLException {
        String email = "keys@" + randomDomain();
        insertSender(email, "pending", "1 minute");
        browser.driver.navigate().refresh();
        waitForTable();
        awaitRow(email);

        // open with the keyboard: focus moves into the dialog
        WebElement add = browser.find(By.id("add-sender"));
        browser.script("arguments[0].focus()", add);
        new Actions(browser.driver).sendKeys(Keys.ENTER).perform();
        WebElement dialog = awaitDialogOpen();
        assertThat(browser.activeElement().getDomAttribute("id")).isEqualTo("email-input");

        // Tab cycles inside the dialog: close, input, Cancel, Add Sender, and round again
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            new Actions(browser.driver).sendKeys(Keys.TAB).perform();
            WebElement active = browser.activeElement();
            assertThat(isInside(dialog, active)).as("Tab #" + (i + 1) + " stays in the dialog").isTrue();
            seen.add(describe(active));
        }
        assertThat(seen.subList(0, 4)).containsExactly("Cancel", "Add Sender", "Close", "email-input");
        assertThat(seen.get(4)).isEqualTo("Cancel");

        // Shift+Tab from the first element goes to the last one
        browser.script("arguments[0].focus()", browser.find(By.cssSelector("#step-email .dialog-close[aria-label]")));
        new Actions(browser.driver).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
        assertThat(describe(browser.activeElement())).isEqualTo("Add Sender");

        // Escape closes it and focus returns to the opener
        new Actions(browser.driver).sendKeys(Keys.ESCAPE).perform();
        awaitDialogClosed();
        assertThat(browser.awaitFocusOn(add)).isEqualTo(add);

        // the ⋮ menu: opened from the keyboard, focus on its first item, arrows move, Escape returns to the button
        WebElement actions = awaitRow(email).findElement(By.cssSelector("button[aria-haspopup='menu']"));
        assertThat(actions.getDomAttribute("aria-label")).isEqualTo("Actions for " + email);
        browser.script("arguments[0].focus()", actions);
        new Actions(browser.driver).sendKeys(Keys.ENTER).perform();
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("row-menu")));
        assertThat(actions.getDomAttribute("aria-expanded")).isEqualTo("true");
        assertThat(browser.activeElement().getDomAttribute("role")).isEqualTo("menuitem");
        assertThat(browser.activeElement().getDomAttribute("id")).isEqualTo("menu-default");
        new Actions(browser.driver).sendKeys(Keys.ARROW_DOWN).perform();
        assertThat(browser.activeElement().getText()).as("Restart verification is only there for failed senders")
                .isEqualTo("Delete");
        new Actions(browser.driver).sendKeys(Keys.ARROW_DOWN).perform();
        assertThat(browser.activeElement().getDomAttribute("id")).as("wraps around").isEqualTo("menu-default");
        new Actions(browser.driver).sendKeys(Keys.END).perform();
        assertThat(browser.activeElement().getText()).isEqualTo("Delete");
        new Actions(browser.driver).sendKeys(Keys.ESCAPE).perform();
        browser.await(ExpectedConditions.invisibilityOfElementLocated(By.id("row-menu")));
        assertThat(actions.getDomAttribute("aria-expanded")).isEqualTo("false");
        assertThat(browser.activeElement()).isEqualTo(actions);

        // the confirmation: focus inside, trapped, Escape back to the ⋮ button
        new Actions(browser.driver).sendKeys(Keys.ENTER).perform();
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("row-menu")));
        new Actions(browser.driver).sendKeys(Keys.END).sendKeys(Keys.ENTER).perform();
        WebElement confirm = awaitConfirmOpen();
        assertThat(browser.activeElement().getDomAttribute("id")).isEqualTo("confirm-cancel");
        for (int i = 0; i < 3; i++) {
            new Actions(browser.driver).sendKeys(Keys.TAB).perform();
            assertThat(isInside(confirm, browser.activeElement())).isTrue();
        }
        new Actions(browser.driver).sendKeys(Keys.ESCAPE).perform();
        browser.await(d -> !confirm.isDisplayed());
        assertThat(browser.awaitFocusOn(actions)).isEqualTo(actions);
        assertThat(total()).isEqualTo(1);
    }

    @Test
    void anExpiredSessionLeadsToTheLoginAndBack() {
        browser.driver.manage().deleteAllCookies();
        browser.find(By.id("add-sender")).click();
        awaitDialogOpen();
        browser.find(By.id("email-input")).sendKeys(newEmail());
        browser.find(By.id("email-submit")).click();
        browser.await(ExpectedConditions.urlContains("login.html"));
        assertThat(browser.driver.getCurrentUrl()).contains("next=" + URLEncoder.encode("/senders/", StandardCharsets.UTF_8));

        browser.find(By.id("username")).sendKeys(user.name());
        browser.find(By.id("password")).sendKeys(TestUsers.PASSWORD);
        browser.find(By.cssSelector("form button[type='submit']")).click();
        browser.await(ExpectedConditions.urlMatches("/senders/(index\\.html)?$"));
        waitForTable();
        assertThat(total()).isZero();
    }

    // ------------------------------------------------------------------ issue 16: the Content-Security-Policy

    /**
     * The flows that run script, under the policy the responses carry: the Senders page's add dialog, its records
     * view and their check, the row menu and a tooltip; the host's analytics page and its campaign form; sign-out and
     * the sign-in page. No violation in the console; and violations provoked on purpose (an inline script and an
     * inline style) are refused and seen there, so the check can fail.
     */
    @Test
    void thePagesWorkUnderTheContentSecurityPolicy() throws Throwable {
        SecurityReport.check("6 HTTP hardening", "pages in Chromium under the CSP (Senders page flows, analytics,"
                + " sign-in): no violation in the console", () -> {
            Object policy = browser.script("return fetch(location.href, {cache: 'no-store'})"
                    + ".then(r => r.headers.get('Content-Security-Policy'))");
            assertThat(String.valueOf(policy)).contains("script-src 'self'").contains("style-src 'self'")
                    .doesNotContain("unsafe-inline");

            String email = "news@" + randomDomain();
            addThroughDialog(email);
            browser.find(By.id("check-again")).click();
            awaitRecordsLoaded();
            browser.find(By.id("dns-done")).click();
            awaitDialogClosed();
            openActionsMenu(email);
            new Actions(browser.driver).sendKeys(Keys.ESCAPE).perform();
            browser.await(ExpectedConditions.invisibilityOfElementLocated(By.id("row-menu")));
            WebElement badge = awaitRow(email).findElement(By.cssSelector(".badge"));
            new Actions(browser.driver).moveToElement(badge).perform();
            browser.await(ExpectedConditions.visibilityOf(browser.find(By.id(badge.getDomAttribute("aria-describedby")))));
            assertThat(browser.contentSecurityPolicyViolations()).as("violations on the Senders page").isEmpty();

            browser.driver.get(site + "analytics.html");
            browser.await(d -> !d.findElement(By.id("who")).getText().isEmpty());
            assertThat(browser.find(By.id("who")).getText()).contains(user.organizationId());
            browser.find(By.cssSelector("#new-campaign summary")).click();
            browser.await(ExpectedConditions.elementToBeClickable(By.id("c-submit"))).click();
            browser.await(ExpectedConditions.attributeToBe(By.id("form-message"), "class", "error"));
            browser.find(By.cssSelector("form[action='logout'] button")).click();
            browser.await(ExpectedConditions.urlContains("login.html"));
            String next = browser.await(d -> d.findElement(By.id("next")).getDomProperty("value"));
            assertThat(next).as("set by the sign-in page's script").isEqualTo("/analytics.html");
            assertThat(browser.contentSecurityPolicyViolations()).as("violations on the host's pages").isEmpty();

            // the control: an inline script and an inline style, added by script, are refused and reported
            Object ran = browser.script("const s = document.createElement('script');"
                    + " s.textContent = 'window.inlineScriptRan = true'; document.head.appendChild(s);"
                    + " document.body.setAttribute('style', 'outline: 1px solid red');"
                    + " return window.inlineScriptRan === true;");
            assertThat(ran).as("the inline script ran").isEqualTo(false);
            browser.await(d -> browser.contentSecurityPolicyViolations().size() >= 2);
            assertThat(browser.contentSecurityPolicyViolations())
                    .anySatisfy(line -> assertThat(line).contains("inline script"))
                    .anySatisfy(line -> assertThat(line).contains("inline style"));
            browser.clearConsole();
        });
    }

    // ================================================================ Story 2: verification that tells the truth

    // ------------------------------------------------------------------------------------------ V2.1

    @Test
    void v2_1_checkAgainRightAwayStaysPendingWithoutAnError() {
        TestEnvironment.dns().restartWith(TestEnvironment.zone());
        String email = newEmail();
        addThroughDialog(email);

        // step 2 of the add dialog already tells the truth about each record, and when to expect verification
        assertThat(browser.find(By.id("step-dns")).getText()).contains("DNS verification can take up to 72 hours");
        List<WebElement> rows = browser.findAll(By.cssSelector("#dns-records tr.record"));
        assertThat(rows).isNotEmpty();
        for (WebElement row : rows) {
            // SPF and DMARC are recommended, not required: missing, they are warnings
            if (!List.of("SPF", "DMARC").contains(row.getDomAttribute("data-purpose"))) {
                assertThat(row.getDomAttribute("data-status")).as(row.getText()).isEqualTo("missing");
                assertThat(row.findElement(By.cssSelector(".rstatus")).getText()).endsWith("Missing");
            }
        }
        WebElement check = browser.find(By.id("check-again"));
        assertThat(check.getText()).isEqualTo("Check again");
        assertThat(check.getDomAttribute("aria-disabled")).isEqualTo("false");

        check.click();
        awaitRecordsLoaded();
        assertThat(browser.find(By.id("check-error")).isDisplayed()).isFalse();
        assertThat(browser.find(By.cssSelector("#dns-sender .badge")).getText()).isEqualTo("Pending");
        assertThat(browser.find(By.id("detail-domain")).getText()).isEqualTo("Pending");
        assertThat(browser.find(By.id("detail-checked")).getText()).startsWith("just now (");
        JsonObject sender = api.get("api/senders/" + senderId(email)).json().getJsonObject("sender");
        assertThat(browser.find(By.id("verification-reason")).getText()).isEqualTo(sender.getString("verificationError"));
        assertThat(sender.getString("verificationStatus")).isEqualTo("pending");
        browser.await(d -> d.findElement(By.id("sr-status")).getDomProperty("textContent")
                .startsWith("Checked: domain Pending, DKIM "));
    }

    // --------------------------------------------------------------------------- per-record status (2.3)

    @Test
    void recordsShowPerRecordStatusAndAdvice() {
        String domain = randomDomain();
        String email = "news@" + domain;
        long id = addByApi(email);
        List<String> dkim = SesStub.dkimTokensFor(domain);
        TestEnvironment.dns().restartWith(TestEnvironment.zone()
                .txt("_amazonses." + domain, SesStub.verificationTokenFor(domain))
                // Cloudflare's proxy answers the first DKIM name with its own addresses
                .address(dkim.get(0) + "._domainkey." + domain, "104.21.3.4")
                .cname(dkim.get(1) + "._domainkey." + domain, dkim.get(1) + ".dkim.amazonses.com")
                // the third is not there at all; the SPF record does not include Amazon SES
                .txt(domain, "v=spf1 include:_spf.google.com ~all"));
        try {
            browser.driver.navigate().refresh();
            waitForTable();
            openRecords(email);

            JsonObject details = api.get("api/senders/" + id).json();
            var records = details.getJsonArray("dnsRecords");
            List<WebElement> rows = browser.findAll(By.cssSelector("#dns-records tr.record"));
            assertThat(rows).hasSize(records.size());
            for (int i = 0; i < records.size(); i++) {
                JsonObject record = records.getJsonObject(i);
                WebElement row = rows.get(i);
                String status = record.getString("status");
                assertThat(row.getDomAttribute("data-status")).as(record.toString()).isEqualTo(status);
                WebElement pill = row.findElement(By.cssSelector(".rstatus"));
                assertThat(pill.getText()).endsWith(STATUS_LABELS.get(status));
                assertThat(pill.getDomAttribute("class")).contains("rstatus-" + status);
                List<WebElement> after = row.findElements(By.xpath("following-sibling::tr[1]"));
                WebElement next = after.isEmpty() ? null : after.get(0);
                boolean adviceShown = next != null && "advice-row".equals(next.getDomAttribute("class"));
                if (!"found".equals(status) && !record.isNull("advice")) {
                    assertThat(adviceShown).as("advice under " + record).isTrue();
                    String advice = next.findElement(By.cssSelector(".advice-text")).getDomProperty("textContent");
                    assertThat(advice).endsWith(record.getString("advice"));
                    List<String> found = record.getJsonArray("found").getValuesAs(JsonString.class).stream()
                            .map(JsonString::getString).toList();
                    if (found.isEmpty()) {
                        assertThat(next.findElements(By.cssSelector(".found-instead"))).isEmpty();
                    } else {
                        assertThat(next.findElement(By.cssSelector(".found-instead")).getText())
                                .isEqualTo("Found instead: " + String.join(", ", found));
                    }
                } else {
                    assertThat(adviceShown).as("no advice under " + record).isFalse();
                }
                if (!record.isNull("sesStatus")) {
                    assertThat(row.findElement(By.cssSelector(".ses-status")).getText()).startsWith("Amazon SES: ");
                }
            }

            assertThat(row("Domain verification", "_amazonses").getDomAttribute("data-status")).isEqualTo("found");
            assertThat(row("DKIM", dkim.get(1)).getDomAttribute("data-status")).isEqualTo("found");
            assertThat(row("DKIM", dkim.get(2)).getDomAttribute("data-status")).isEqualTo("missing");
            WebElement proxied = row("DKIM", dkim.get(0));
            assertThat(proxied.getDomAttribute("data-status")).isIn("mismatch", "missing");
            WebElement proxiedAdvice = proxied.findElement(By.xpath("following-sibling::tr[1]"));
            assertThat(proxiedAdvice.getText()).contains("DNS only").contains("Found instead: ").contains("104.21.3.4");
            WebElement spf = row("SPF", "");
            assertThat(spf.findElement(By.cssSelector(".cell-required")).getText()).isEqualTo("Recommended");
            assertThat(spf.getDomAttribute("data-status")).isEqualTo("warning");
            assertThat(spf.findElement(By.cssSelector(".rstatus")).getText()).endsWith("Warning");
            assertThat(spf.findElement(By.xpath("following-sibling::tr[1]")).getText())
                    .contains("Found instead: v=spf1 include:_spf.google.com ~all");
            assertThat(browser.find(By.id("step-dns")).getText()).contains("DNS verification can take up to 72 hours");

            browser.driver.manage().window().setSize(new Dimension(1280, 1600));
            browser.screenshot("records-view-with-statuses");
        } finally {
            TestEnvironment.dns().restartWith(TestEnvironment.zone());
        }
    }

    @Test
    void theReadinessChecklistSaysWhatBulkMailStillNeeds() {
        String domain = randomDomain();
        String email = "news@" + domain;
        long id = dev.senders.host.it.Campaigns.verifiedDefault(api, email);
        List<String> dkim = SesStub.dkimTokensFor(domain);
        dev.senders.sandbox.LocalDnsServer.Zone zone = TestEnvironment.zone()
                .txt("_amazonses." + domain, SesStub.verificationTokenFor(domain))
                .txt(domain, "v=spf1 include:amazonses.com ~all")
                .txt("_dmarc." + domain, "v=DMARC1; p=quarantine; rua=mailto:dmarc@" + domain);
        for (String token : dkim) {
            zone = zone.cname(token + "._domainkey." + domain, token + ".dkim.amazonses.com");
        }
        TestEnvironment.dns().restartWith(zone);
        try {
            // one campaign through SES: the reference host asks for one-click unsubscribe links
            long campaign = dev.senders.host.it.Campaigns.startAndAwait(api, dev.senders.host.it.Campaigns.create(api,
                    email, "Ready?", List.of("ready-" + domain.replace('.', '-') + "@inbox-ready.net")));
            assertThat(dev.senders.host.it.Campaigns.items(campaign)).singleElement()
                    .satisfies(i -> assertThat(i.status()).isEqualTo("sent"));

            JsonObject readiness = api.get("api/senders/" + id).json().getJsonObject("readiness");
            java.util.Map<String, Boolean> ok = new java.util.LinkedHashMap<>();
            readiness.getJsonArray("items").getValuesAs(JsonObject.class)
                    .forEach(i -> ok.put(i.getString("item"), i.getBoolean("ok")));
            assertThat(ok).containsExactly(java.util.Map.entry("spf", true), java.util.Map.entry("dkim", true),
                    java.util.Map.entry("dmarc", true), java.util.Map.entry("mail-from", false),
                    java.util.Map.entry("one-click-unsubscribe", true), java.util.Map.entry("complaint-rate", true));
            assertThat(readiness.getString("alignment")).contains("DKIM signs as " + domain)
                    .contains("SPF aligns once a custom MAIL FROM");

            browser.driver.navigate().refresh();
            waitForTable();
            openRecords(email);
            browser.await(d -> !d.findElement(By.id("readiness")).getDomProperty("hidden").equals("true"));
            List<WebElement> items = browser.findAll(By.cssSelector("#readiness-items li"));
            assertThat(items).hasSize(6);
            WebElement mailFrom = browser.find(By.cssSelector("#readiness-items li[data-item='mail-from']"));
            assertThat(mailFrom.getDomAttribute("class")).contains("check-todo");
            assertThat(mailFrom.getText()).startsWith("✗").contains("Custom MAIL FROM")
                    .contains("Set a custom MAIL FROM domain (such as mail." + domain + ")");
            assertThat(browser.find(By.cssSelector("#readiness-items li[data-item='dmarc']")).getText())
                    .startsWith("✓").contains("DMARC");
            assertThat(browser.find(By.id("alignment")).getText()).contains("Easy DKIM on the same domain");
            browser.script("document.getElementById('readiness').scrollIntoView()");
            browser.screenshot("readiness-checklist");
        } finally {
            TestEnvironment.dns().restartWith(TestEnvironment.zone());
        }
    }

    @Test
    void aDnsFailureShowsCouldNotCheckNotMissing() {
        String domain = randomDomain();
        String email = "news@" + domain;
        addByApi(email);
        try (LocalDnsServer failing = LocalDnsServer.answering(2)) {
            TestEnvironment.dns().restartWith(TestEnvironment.zone().forward(domain, failing.port()));
            browser.driver.navigate().refresh();
            waitForTable();
            openRecords(email);
            for (WebElement row : browser.findAll(By.cssSelector("#dns-records tr.record"))) {
                assertThat(row.getDomAttribute("data-status")).as(row.getText()).isEqualTo("unknown");
                assertThat(row.findElement(By.cssSelector(".rstatus")).getText()).endsWith("Could not check");
                assertThat(row.findElement(By.xpath("following-sibling::tr[1]")).getText()).contains("Could not check");
            }
            assertThat(browser.find(By.id("dns-records")).getText()).doesNotContain("Missing");
        } finally {
            TestEnvironment.dns().restartWith(TestEnvironment.zone());
        }
    }

    // ------------------------------------------------------------------------------------------ V2.6

    @Test
    void v2_6_verifiedBadgeTooltipShowsDetails() {
        String domain = randomDomain();
        String email = "hello@" + domain;
        long id = addByApi(email);
        TestEnvironment.ses().verifyDomain(domain);
        verifyByApi(id);
        JsonObject sender = api.get("api/senders/" + id).json().getJsonObject("sender");
        assertThat(sender.getString("verificationStatus")).isEqualTo("verified");
        browser.driver.navigate().refresh();
        waitForTable();

        WebElement badge = awaitRow(email).findElement(By.cssSelector(".badge"));
        assertThat(badge.getText()).isEqualTo("Verified");
        assertThat(badge.getDomAttribute("class")).contains("badge-verified");
        String tipId = badge.getDomAttribute("aria-describedby");
        WebElement tip = browser.find(By.id(tipId));
        assertThat(tip.getDomAttribute("role")).isEqualTo("tooltip");
        assertThat(tip.isDisplayed()).isFalse();

        // hover
        new Actions(browser.driver).moveToElement(badge).perform();
        browser.await(ExpectedConditions.visibilityOf(tip));
        String text = tip.getText();
        assertThat(text).contains("Verified: the domain and DKIM are verified")
                .contains("DKIM: Success")
                .containsPattern("Last checked: (just now|1 minute ago) \\(.+\\)")
                .doesNotContain("Error:").doesNotContain("Why:");
        WebElement time = tip.findElement(By.cssSelector("time"));
        assertThat(Instant.parse(time.getDomAttribute("datetime"))).isEqualTo(
                OffsetDateTime.parse(sender.getString("lastVerifiedAt")).toInstant().truncatedTo(ChronoUnit.MILLIS));
        assertThat(text).contains("(" + time.getDomAttribute("title") + ")");
        browser.screenshot("tooltip-verified");
        // the pointer may move onto the tooltip (to read or select it) without losing it
        new Actions(browser.driver).moveToElement(tip).perform();
        assertThat(tip.isDisplayed()).isTrue();
        new Actions(browser.driver).moveToElement(browser.find(By.cssSelector("main h1"))).perform();
        browser.await(ExpectedConditions.invisibilityOf(tip));

        // keyboard: Tab from the email reaches the badge, which shows the tooltip; Escape hides it
        WebElement link = awaitRow(email).findElement(By.cssSelector(".email-link"));
        browser.script("arguments[0].focus()", link);
        new Actions(browser.driver).sendKeys(Keys.TAB).perform();
        assertThat(browser.activeElement()).isEqualTo(badge);
        browser.await(ExpectedConditions.visibilityOf(tip));
        new Actions(browser.driver).sendKeys(Keys.ESCAPE).perform();
        browser.await(ExpectedConditions.invisibilityOf(tip));
        assertThat(browser.activeElement()).isEqualTo(badge);
        // and screen readers get the details as the badge's description
        assertThat(browser.script("return document.getElementById(arguments[0]).textContent", tipId).toString())
                .contains("DKIM: Success");
    }

    @Test
    void pendingBadgeTooltipSaysWhy() {
        String email = newEmail();
        long id = addByApi(email);
        verifyByApi(id);
        String why = api.get("api/senders/" + id).json().getJsonObject("sender").getString("verificationError");
        browser.driver.navigate().refresh();
        waitForTable();
        WebElement badge = awaitRow(email).findElement(By.cssSelector(".badge"));
        browser.script("arguments[0].focus()", badge);
        WebElement tip = browser.await(ExpectedConditions.visibilityOfElementLocated(
                By.id(badge.getDomAttribute("aria-describedby"))));
        assertThat(tip.getText()).startsWith("Pending: waiting for the DNS records")
                .contains("DKIM: Pending").contains("Why: " + why);
    }

    // ------------------------------------------------------------------------------------------ V2.8

    @Test
    void v2_8_setDefaultDisabledUntilVerified() {
        String email = newEmail();
        long id = addByApi(email);
        browser.driver.navigate().refresh();
        waitForTable();

        WebElement actions = openActionsMenu(email);
        WebElement item = browser.find(By.id("menu-default"));
        assertThat(browser.activeElement()).isEqualTo(item);
        assertThat(item.getDomAttribute("aria-disabled")).isEqualTo("true");
        WebElement reason = browser.find(By.id("menu-default-reason"));
        assertThat(reason.isDisplayed()).isTrue();
        assertThat(reason.getText()).isEqualTo("Verify this sender first");
        assertThat(item.getDomAttribute("aria-describedby")).isEqualTo("menu-default-reason");
        browser.screenshot("menu-set-default-disabled");

        // activating it does nothing but say why
        new Actions(browser.driver).sendKeys(Keys.ENTER).perform();
        browser.await(d -> "Verify this sender first".equals(
                d.findElement(By.id("sr-status")).getDomProperty("textContent")));
        assertThat(browser.find(By.id("row-menu")).isDisplayed()).isTrue();
        item.click();
        assertThat(browser.findAll(By.cssSelector("#sender-rows .pill-default"))).isEmpty();
        assertThat(api.get("api/senders/" + id).json().getJsonObject("sender").getBoolean("isDefault")).isFalse();
        new Actions(browser.driver).sendKeys(Keys.ESCAPE).perform();
        assertThat(browser.activeElement()).isEqualTo(actions);

        // and the server refuses it as well
        Api.Reply refused = api.post("api/senders/" + id + "/set-default", "");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().getString("detail")).isEqualTo("Sender must be verified before setting as default");
    }

    // ------------------------------------------------------------------------------------------ V2.9

    @Test
    void v2_9_setVerifiedSenderAsDefaultShowsDefaultBadge() {
        String domain = randomDomain();
        String email = "hello@" + domain;
        long id = addByApi(email);
        String unverified = newEmail();
        addByApi(unverified);
        TestEnvironment.ses().verifyDomain(domain);
        verifyByApi(id);
        browser.driver.navigate().refresh();
        waitForTable();
        assertThat(browser.findAll(By.cssSelector("#sender-rows .pill-default"))).isEmpty();

        openActionsMenu(email);
        WebElement item = browser.find(By.id("menu-default"));
        assertThat(item.getDomAttribute("aria-disabled")).isEqualTo("false");
        assertThat(browser.find(By.id("menu-default-reason")).isDisplayed()).isFalse();
        assertThat(item.getDomAttribute("aria-describedby")).isNull();
        new Actions(browser.driver).sendKeys(Keys.ENTER).perform();

        WebElement pill = browser.await(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#sender-rows .pill-default")));
        assertThat(pill.getText()).isEqualTo("Default");
        assertThat(awaitRow(email).findElements(By.cssSelector(".pill-default"))).hasSize(1);
        assertThat(browser.find(By.id("row-menu")).isDisplayed()).isFalse();
        browser.await(d -> ("Actions for " + email).equals(browser.activeElement().getDomAttribute("aria-label")));
        browser.await(d -> (email + " is now the default sender").equals(
                d.findElement(By.id("sr-status")).getDomProperty("textContent")));
        assertThat(api.get("api/senders/" + id).json().getJsonObject("sender").getBoolean("isDefault")).isTrue();
        browser.screenshot("default-badge");

        // the records view says so too; the menu no longer offers it
        awaitRow(email).findElement(By.cssSelector(".email-link")).click();
        awaitDialogOpen();
        awaitRecordsLoaded();
        assertThat(browser.find(By.cssSelector("#dns-sender .pill-default")).getText()).isEqualTo("Default");
        new Actions(browser.driver).sendKeys(Keys.ESCAPE).perform();
        awaitDialogClosed();
        openActionsMenu(email);
        assertThat(browser.find(By.id("menu-default")).getDomAttribute("aria-disabled")).isEqualTo("true");
        assertThat(browser.find(By.id("menu-default-reason")).getText()).isEqualTo("Already the default sender");
    }

    // ----------------------------------------------------------------------------------------- V2.10

    @Test
    void v2_10_onlyOneDefault() {
        String first = "first@" + randomDomain();
        String second = "second@" + randomDomain();
        long firstId = addByApi(first);
        long secondId = addByApi(second);
        for (String email : List.of(first, second)) {
            TestEnvironment.ses().verifyDomain(email.substring(email.indexOf('@') + 1));
        }
        verifyByApi(firstId);
        verifyByApi(secondId);
        browser.driver.navigate().refresh();
        waitForTable();

        setDefaultThroughMenu(first);
        browser.await(ExpectedConditions.numberOfElementsToBe(defaultPillOf(first), 1));
        setDefaultThroughMenu(second);
        browser.await(ExpectedConditions.numberOfElementsToBe(defaultPillOf(second), 1));

        assertThat(browser.findAll(defaultPillOf(first))).isEmpty();
        assertThat(browser.findAll(By.cssSelector("#sender-rows .pill-default"))).hasSize(1);
        assertThat(api.get("api/senders/" + firstId).json().getJsonObject("sender").getBoolean("isDefault")).isFalse();
        assertThat(api.get("api/senders/" + secondId).json().getJsonObject("sender").getBoolean("isDefault")).isTrue();

        // after a reload too
        browser.driver.navigate().refresh();
        waitForTable();
        assertThat(browser.findAll(By.cssSelector("#sender-rows .pill-default"))).hasSize(1);
        assertThat(browser.findAll(defaultPillOf(second))).hasSize(1);
    }

    // ----------------------------------------------------------------------------------------- V2.11

    @Test
    void v2_11_checkAgainCountdown() throws SQLException {
        TestEnvironment.dns().restartWith(TestEnvironment.zone());
        String domain = randomDomain();
        String email = "news@" + domain;
        long id = addByApi(email);
        browser.driver.navigate().refresh();
        waitForTable();
        openRecords(email);

        WebElement check = browser.find(By.id("check-again"));
        assertThat(check.getText()).isEqualTo("Check again");
        int before = sesChecks(domain);
        check.click();
        awaitRecordsLoaded();
        assertThat(sesChecks(domain)).isEqualTo(before + 1);
        assertThat(check.getDomAttribute("aria-disabled")).isEqualTo("true");
        int first = countdown(check);
        assertThat(first).isBetween(25, 30);
        browser.screenshot("check-again-countdown");

        // a click while it counts down asks nobody; the count goes on
        check.click();
        new Actions(browser.driver).sendKeys(Keys.ENTER).perform();
        assertThat(browser.activeElement()).as("keeps the focus while it waits").isEqualTo(check);
        browser.await(d -> countdown(check) < first);
        assertThat(sesChecks(domain)).isEqualTo(before + 1);

        // the wait survives closing and opening the view, and a reload of the page (the server says how long)
        new Actions(browser.driver).sendKeys(Keys.ESCAPE).perform();
        awaitDialogClosed();
        browser.driver.navigate().refresh();
        waitForTable();
        openRecords(email);
        assertThat(browser.find(By.id("check-again")).getDomAttribute("aria-disabled")).isEqualTo("true");
        assertThat(countdown(browser.find(By.id("check-again")))).isBetween(1, 30);
        new Actions(browser.driver).sendKeys(Keys.ESCAPE).perform();
        awaitDialogClosed();

        // at 0 it is enabled again and checks (the server's cooldown is moved on instead of waiting 30 s)
        sql("update senders set verify_requested_at = now() - interval '27 seconds' where id = " + id);
        browser.driver.navigate().refresh();
        waitForTable();
        openRecords(email);
        WebElement again = browser.find(By.id("check-again"));
        assertThat(countdown(again)).isBetween(1, 4);
        browser.await(d -> "Check again".equals(again.getText())
                && "false".equals(again.getDomAttribute("aria-disabled")));
        again.click();
        awaitRecordsLoaded();
        assertThat(sesChecks(domain)).isEqualTo(before + 2);
        assertThat(countdown(again)).isBetween(25, 30);
    }

    @Test
    void v2_11_aCheckRefusedByTheServerShowsItsRetryAfter() {
        String domain = randomDomain();
        String email = "news@" + domain;
        long id = addByApi(email);
        browser.driver.navigate().refresh();
        waitForTable();
        openRecords(email);
        WebElement check = browser.find(By.id("check-again"));
        assertThat(check.getText()).isEqualTo("Check again");

        // someone else (another tab) checks meanwhile: the page learns the wait from the 429's Retry-After
        verifyByApi(id);
        int before = sesChecks(domain);
        check.click();
        browser.await(d -> check.getText().startsWith("Check again in "));
        assertThat(countdown(check)).isBetween(25, 30);
        assertThat(check.getDomAttribute("aria-disabled")).isEqualTo("true");
        assertThat(browser.find(By.id("check-error")).isDisplayed()).isFalse();
        assertThat(browser.find(By.id("sr-status")).getDomProperty("textContent")).contains("try again in");
        assertThat(sesChecks(domain)).isEqualTo(before);
    }

    // ------------------------------------------------------------------------------ failed: restart it

    @Test
    void failedSenderOffersRestart() throws SQLException {
        String domain = randomDomain();
        String email = "news@" + domain;
        long id = addByApi(email);
        failByApi(id, domain);
        JsonObject failed = api.get("api/senders/" + id).json().getJsonObject("sender");
        assertThat(failed.getString("verificationStatus")).isEqualTo("failed");
        String reason = failed.getString("verificationError");
        browser.driver.navigate().refresh();
        waitForTable();

        // the badge's tooltip gives the error
        WebElement badge = awaitRow(email).findElement(By.cssSelector(".badge"));
        assertThat(badge.getText()).isEqualTo("Failed");
        new Actions(browser.driver).moveToElement(badge).perform();
        WebElement tip = browser.await(ExpectedConditions.visibilityOfElementLocated(
                By.id(badge.getDomAttribute("aria-describedby"))));
        assertThat(tip.getText()).startsWith("Failed: ").contains("Error: " + reason);
        browser.screenshot("tooltip-failed");
        new Actions(browser.driver).moveToElement(browser.find(By.cssSelector("main h1"))).perform();

        // the records view: the reason and "Restart verification"
        openRecords(email);
        WebElement box = browser.find(By.id("verification-failed"));
        assertThat(box.isDisplayed()).isTrue();
        assertThat(box.getText()).contains("Verification failed.").contains(reason);
        assertThat(browser.find(By.id("detail-domain")).getText()).isEqualTo("Failed");
        browser.screenshot("records-view-failed");
        int restarts = countFor("VerifyDomainIdentity", domain);
        browser.find(By.id("restart-verification")).click();
        browser.await(ExpectedConditions.invisibilityOf(box));
        awaitRecordsLoaded();
        assertThat(browser.find(By.cssSelector("#dns-sender .badge")).getText()).isEqualTo("Pending");
        assertThat(browser.activeElement().getDomAttribute("id")).isEqualTo("step-dns-title");
        assertThat(countFor("VerifyDomainIdentity", domain)).isEqualTo(restarts + 1);
        assertThat(api.get("api/senders/" + id).json().getJsonObject("sender").getString("verificationStatus"))
                .isEqualTo("pending");
        new Actions(browser.driver).sendKeys(Keys.ESCAPE).perform();
        awaitDialogClosed();
        browser.await(ExpectedConditions.textToBe(badgeOf(email), "Pending"));

        // failed again: the ⋮ menu offers it too, and then shows the records
        sql("update senders set verify_requested_at = null where id = " + id);
        failByApi(id, domain);
        browser.driver.navigate().refresh();
        waitForTable();
        openActionsMenu(email);
        WebElement restart = browser.find(By.id("menu-restart"));
        assertThat(restart.isDisplayed()).isTrue();
        restart.click();
        awaitDialogOpen();
        awaitRecordsLoaded();
        assertThat(browser.find(By.id("verification-failed")).isDisplayed()).isFalse();
        assertThat(browser.find(By.cssSelector("#dns-sender .badge")).getText()).isEqualTo("Pending");
        assertThat(countFor("VerifyDomainIdentity", domain)).isEqualTo(restarts + 2);
        new Actions(browser.driver).sendKeys(Keys.ESCAPE).perform();
        awaitDialogClosed();
        browser.await(ExpectedConditions.textToBe(badgeOf(email), "Pending"));
        browser.await(d -> ("Actions for " + email).equals(browser.activeElement().getDomAttribute("aria-label")));
    }

    private static final java.util.Map<String, String> STATUS_LABELS = java.util.Map.of(
            "found", "Found", "missing", "Missing", "mismatch", "Mismatch", "warning", "Warning",
            "unknown", "Could not check");

    private long addByApi(String email) {
        Api.Reply created = api.post("api/senders", emailJson(email));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().getJsonObject("sender").getJsonNumber("id").longValue();
    }

    private JsonObject verifyByApi(long id) {
        Api.Reply checked = api.post("api/senders/" + id + "/verify", "");
        assertThat(checked.status()).as(checked.toString()).isEqualTo(200);
        return checked.json();
    }

    /** SES gave up on the domain: the next check makes the sender failed. */
    private void failByApi(long id, String domain) {
        TestEnvironment.ses().setVerificationStatus(domain, "Failed");
        assertThat(verifyByApi(id).getJsonObject("sender").getString("verificationStatus")).isEqualTo("failed");
    }

    private void openRecords(String email) {
        awaitRow(email).findElement(By.cssSelector(".email-link")).click();
        awaitDialogOpen();
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("step-dns")));
        awaitRecordsLoaded();
    }

    private WebElement row(String purpose, String namePrefix) {
        return browser.findAll(By.cssSelector("#dns-records tr.record")).stream()
                .filter(r -> purpose.equals(r.getDomAttribute("data-purpose"))
                        && r.findElement(By.cssSelector(".rr-name")).getText().startsWith(namePrefix))
                .findFirst().orElseThrow(() -> new AssertionError("no " + purpose + " row " + namePrefix));
    }

    private static By defaultPillOf(String email) {
        return By.xpath(xpathOfRow(email) + "//span[contains(concat(' ', @class, ' '), ' pill-default ')]");
    }

    private static By badgeOf(String email) {
        return By.xpath(xpathOfRow(email) + "//span[contains(concat(' ', @class, ' '), ' badge ')]");
    }

    private void setDefaultThroughMenu(String email) {
        openActionsMenu(email);
        WebElement item = browser.find(By.id("menu-default"));
        assertThat(item.getDomAttribute("aria-disabled")).isEqualTo("false");
        item.click();
        browser.await(ExpectedConditions.invisibilityOfElementLocated(By.id("row-menu")));
    }

    /** The seconds "Check again in 27 s" shows; 0 when it shows no countdown. */
    private static int countdown(WebElement button) {
        var m = java.util.regex.Pattern.compile("Check again in (\\d+) s").matcher(button.getText());
        return m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static int sesChecks(String domain) {
        return countFor("GetIdentityVerificationAttributes", domain);
    }

    private static int countFor(String action, String domain) {
        return (int) TestEnvironment.ses().calls(action).stream()
                .filter(c -> c.params().containsValue(domain)).count();
    }

    private static void sql(String statement) throws SQLException {
        try (var c = TestEnvironment.db().getConnection(); var s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private void quit() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    private void signInThroughForm(String next) {
        browser.driver.get(site + "login.html?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(user.name());
        browser.find(By.id("password")).sendKeys(TestUsers.PASSWORD);
        browser.find(By.cssSelector("form button[type='submit']")).click();
        browser.await(ExpectedConditions.urlMatches("/senders/(index\\.html)?$"));
    }

    private void waitForTable() {
        browser.await(d -> "false".equals(d.findElement(By.id("table-card")).getDomAttribute("aria-busy"))
                && !d.findElement(By.id("pager-text")).getText().isEmpty());
    }

    private WebElement awaitDialogOpen() {
        return browser.await(d -> {
            WebElement dialog = d.findElement(By.id("sender-dialog"));
            return dialog.getDomProperty("open").equals("true") && dialog.isDisplayed() ? dialog : null;
        });
    }

    private void awaitDialogClosed() {
        browser.await(d -> "false".equals(d.findElement(By.id("sender-dialog")).getDomProperty("open")));
    }

    private WebElement awaitConfirmOpen() {
        return browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-dialog")));
    }

    private void addThroughDialog(String email) {
        browser.find(By.id("add-sender")).click();
        awaitDialogOpen();
        browser.find(By.id("email-input")).sendKeys(email);
        browser.find(By.id("email-submit")).click();
        browser.await(ExpectedConditions.or(
                ExpectedConditions.visibilityOfElementLocated(By.id("step-dns")),
                ExpectedConditions.visibilityOfElementLocated(By.id("email-error"))));
        WebElement error = browser.find(By.id("email-error"));
        assertThat(error.isDisplayed()).as("error shown instead of the records: " + error.getText()).isFalse();
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#dns-records table.dns")));
        // the records come at once; their live status a moment later
        awaitRecordsLoaded();
    }

    /** Until the records view shows the records with their live DNS status and no check is running. */
    private void awaitRecordsLoaded() {
        browser.await(d -> "false".equals(d.findElement(By.id("dns-records")).getDomAttribute("aria-busy"))
                && "false".equals(d.findElement(By.id("verification")).getDomAttribute("aria-busy"))
                && !d.findElements(By.cssSelector("#dns-records table.dns")).isEmpty());
    }

    private WebElement openActionsMenu(String email) {
        WebElement actions = awaitRow(email).findElement(By.cssSelector("button[aria-label='Actions for " + email + "']"));
        assertThat(actions.getDomAttribute("aria-haspopup")).isEqualTo("menu");
        actions.click();
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("row-menu")));
        assertThat(actions.getDomAttribute("aria-expanded")).isEqualTo("true");
        return actions;
    }

    private static By rowLocator(String email) {
        return By.xpath(xpathOfRow(email));
    }

    private static String xpathOfRow(String email) {
        return "//tbody[@id='sender-rows']/tr[.//button[contains(@class,'email-link') and normalize-space(.)='"
                + email + "']]";
    }

    private WebElement awaitRow(String email) {
        return browser.await(ExpectedConditions.visibilityOfElementLocated(rowLocator(email)));
    }

    private void assertBadge(String email, String text, String cssClass, String created) {
        WebElement row = awaitRow(email);
        WebElement badge = row.findElement(By.cssSelector(".badge"));
        assertThat(badge.getText()).isEqualTo(text);
        assertThat(badge.getDomAttribute("class")).contains(cssClass);
        assertThat(row.findElement(By.cssSelector("time")).getText()).isEqualTo(created);
    }

    private boolean isInside(WebElement container, WebElement element) {
        return Boolean.TRUE.equals(browser.script("return arguments[0].contains(arguments[1])", container, element));
    }

    private static String describe(WebElement element) {
        String label = element.getDomAttribute("aria-label");
        if (label != null) {
            return label;
        }
        String id = element.getDomAttribute("id");
        return "input".equals(element.getTagName()) ? id : element.getText();
    }

    private long total() {
        return api.get("api/senders").json().getJsonNumber("total").longValue();
    }

    private long senderId(String email) {
        return api.get("api/senders?size=100").json().getJsonArray("items").stream()
                .map(v -> v.asJsonObject())
                .filter(s -> s.getString("emailAddress").equals(email))
                .findFirst().orElseThrow(() -> new AssertionError(email + " not listed"))
                .getJsonNumber("id").longValue();
    }

    private JsonObject recordOf(String email, String purpose) {
        return api.get("api/senders/" + senderId(email)).json().getJsonArray("dnsRecords").stream()
                .map(v -> v.asJsonObject())
                .filter(r -> purpose.equals(r.getString("purpose")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + purpose + " record"));
    }

    private void insertSender(String email, String status, String age) throws SQLException {
        try (var c = TestEnvironment.db().getConnection(); var insert = c.prepareStatement(
                "insert into senders (organization_id, email_address, domain, verification_status, created_at,"
                        + " updated_at) values (?, ?, ?, ?, now() - cast(? as interval), now())")) {
            insert.setString(1, user.organizationId());
            insert.setString(2, email);
            insert.setString(3, email.substring(email.indexOf('@') + 1));
            insert.setString(4, status);
            insert.setString(5, age);
            insert.executeUpdate();
        }
    }

    private static String emailJson(String email) {
        return Json.createObjectBuilder().add("emailAddress", email).build().toString();
    }

    private static String randomDomain() {
        return UUID.randomUUID().toString().substring(0, 8) + "-shop.com";
    }

    private static String newEmail() {
        return "news@" + randomDomain();
    }
}
