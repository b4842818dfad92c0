package dev.senders.host.it.ui;

import dev.senders.host.it.Api;
import dev.senders.host.it.HostDeployment;
import dev.senders.host.it.TestEnvironment;
import dev.senders.host.it.TestUsers;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
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
 * The Senders page in a real browser against the deployed host: the checks V1.2–V1.13 of the epic that a person
 * would do by hand. Every test signs in as a user of a new organization, so no test sees another one's senders.
 */
@ExtendWith(ArquillianExtension.class)
class SendersPageIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return HostDeployment.war();
    }

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
        assertThat(browser.findAll(By.cssSelector("#dns-records table.dns tbody tr"))).isNotEmpty();
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

        List<WebElement> rows = browser.findAll(By.cssSelector("#dns-records table.dns tbody tr"));
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
        assertThat(browser.activeElement().getDomAttribute("id")).isEqualTo("add-sender");

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
        assertThat(browser.activeElement().getText()).isEqualTo(email);
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
        assertThat(browser.activeElement()).isEqualTo(actions);
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

        assertThat(api.get("api/senders/" + id).status()).isEqualTo(404);
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
        try (var c = TestEnvironment.db().getConnection(); var insert = c.prepareStatement(
                "insert into campaigns (organization_id, name, sender_email, subject, status)"
                        + " values (?, 'Spring sale', ?, 'Hello', 'sending')")) {
            insert.setString(1, user.organizationId());
            insert.setString(2, email);
            insert.executeUpdate();
        }
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
        assertThat(browser.activeElement()).isEqualTo(add);

        // the ⋮ menu: opened from the keyboard, focus on its first item, Escape returns to the button
        WebElement actions = awaitRow(email).findElement(By.cssSelector("button[aria-haspopup='menu']"));
        assertThat(actions.getDomAttribute("aria-label")).isEqualTo("Actions for " + email);
        browser.script("arguments[0].focus()", actions);
        new Actions(browser.driver).sendKeys(Keys.ENTER).perform();
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("row-menu")));
        assertThat(actions.getDomAttribute("aria-expanded")).isEqualTo("true");
        assertThat(browser.activeElement().getDomAttribute("role")).isEqualTo("menuitem");
        assertThat(browser.activeElement().getText()).isEqualTo("Delete");
        new Actions(browser.driver).sendKeys(Keys.ESCAPE).perform();
        browser.await(ExpectedConditions.invisibilityOfElementLocated(By.id("row-menu")));
        assertThat(actions.getDomAttribute("aria-expanded")).isEqualTo("false");
        assertThat(browser.activeElement()).isEqualTo(actions);

        // the confirmation: focus inside, trapped, Escape back to the ⋮ button
        new Actions(browser.driver).sendKeys(Keys.ENTER).perform();
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("row-menu")));
        new Actions(browser.driver).sendKeys(Keys.ENTER).perform();
        WebElement confirm = awaitConfirmOpen();
        assertThat(browser.activeElement().getDomAttribute("id")).isEqualTo("confirm-cancel");
        for (int i = 0; i < 3; i++) {
            new Actions(browser.driver).sendKeys(Keys.TAB).perform();
            assertThat(isInside(confirm, browser.activeElement())).isTrue();
        }
        new Actions(browser.driver).sendKeys(Keys.ESCAPE).perform();
        browser.await(d -> !confirm.isDisplayed());
        assertThat(browser.activeElement()).isEqualTo(actions);
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
        return By.xpath("//tbody[@id='sender-rows']/tr[.//button[contains(@class,'email-link') and normalize-space(.)='"
                + email + "']]");
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
