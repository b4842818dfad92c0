package dev.senders.host.it.ui;

import dev.senders.host.it.Api;
import dev.senders.host.it.Campaigns;
import dev.senders.host.it.SesEvents;
import dev.senders.host.it.SnsFixtures;
import dev.senders.host.it.TestEnvironment;
import dev.senders.host.it.TestUsers;
import dev.senders.sandbox.sns.SnsMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.net.IDN;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18's pages in a real browser against the deployed host: the Emails (activity) page over sends made through
 * the real send path (the host's campaigns, the stub SES and Resend) and SES events posted to the signed SNS webhook;
 * the Suppressions page; a deleted sender shown as "Deleted" with Restore; the pages on a 390×844 phone screen (no
 * sideways scroll, actions in reach, dialogs inside the screen, addresses broken only before @ and after dots); and a
 * Unicode domain shown as typed with its ASCII form beside it. Screenshots go beside SendersPageIT's.
 */
@ExtendWith(ArquillianExtension.class)
class UserPagesIT {

    @ArquillianResource
    URL base;

    Browser browser;
    TestUsers.User user;
    Api api;
    String site;
    String tag;

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

    @BeforeAll
    static void startSns() {
        SnsFixtures.pki();
        SnsFixtures.host();
    }

    @BeforeEach
    void signIn() {
        user = TestUsers.inNewOrganization();
        api = Api.as(base, user);
        tag = UUID.randomUUID().toString().substring(0, 8);
        site = base.toString().replaceFirst("://localhost([:/])", "://127.0.0.1$1");
        if (!site.endsWith("/")) {
            site += "/";
        }
        browser = Browser.start();
        browser.driver.get(site + "login.html?next=" + URLEncoder.encode("/senders/", StandardCharsets.UTF_8));
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(user.name());
        browser.find(By.id("password")).sendKeys(TestUsers.PASSWORD);
        browser.find(By.cssSelector("form button[type='submit']")).click();
        browser.await(ExpectedConditions.urlMatches("/senders/(index\\.html)?$"));
        awaitList();
    }

    @AfterEach
    void noContentSecurityPolicyViolation() {
        if (browser != null) {
            assertThat(browser.contentSecurityPolicyViolations()).as("Content-Security-Policy violations").isEmpty();
        }
    }

    // ------------------------------------------------------------------------------------------ Emails

    @Test
    void theEmailsPageListsSendsSearchesFiltersAndShowsEachTimeline() {
        String from = "news@verified-" + tag + ".com";
        Campaigns.verifiedDefault(api, from);
        String ann = "ann-" + tag + "@inbox-" + tag + ".net";
        String bob = "bob-" + tag + "@inbox-" + tag + ".net";
        String cid = "cid-" + tag + "@inbox-" + tag + ".net";
        long sesCampaign = send(from, List.of(ann, bob, cid));
        String viaResend = "dee-" + tag + "@inbox-" + tag + ".net";
        send("news@unverified-" + tag + ".com", List.of(viaResend));
        JsonObject annSend = onlySend(ann);
        JsonObject bobSend = onlySend(bob);
        postSns(SnsFixtures.notification(SesEvents.delivery(annSend.getString("messageId"), ann)));
        postSns(SnsFixtures.notification(SesEvents.bounce(bobSend.getString("messageId"), bob, "Permanent")));

        // from the Senders page through the navigation
        WebElement nav = browser.find(By.cssSelector("nav.app-nav a[href='emails.html']"));
        assertThat(nav.getText()).isEqualTo("Emails");
        nav.click();
        browser.await(ExpectedConditions.urlContains("emails.html"));
        awaitList();
        assertThat(browser.find(By.cssSelector("nav.app-nav a[aria-current='page']")).getText()).isEqualTo("Emails");
        assertThat(browser.find(By.cssSelector("main h1")).getText()).isEqualTo("Emails");
        assertThat(rowRecipients()).containsExactlyInAnyOrder(ann, bob, cid, viaResend);
        assertThat(badgeOf(ann)).isEqualTo("Delivered");
        assertThat(badgeOf(bob)).isEqualTo("Bounced");
        assertThat(badgeOf(cid)).isEqualTo("Sent");
        assertThat(row(viaResend).getText()).contains("Resend").contains("Routing warning");
        assertThat(row(ann).getText()).contains("Amazon SES").contains(String.valueOf(sesCampaign));
        browser.screenshot("emails-desktop");

        // search by the start of the recipient
        browser.find(By.id("filter-q")).sendKeys("BOB-" + tag);
        browser.find(By.id("filter-apply")).click();
        browser.await(d -> rowRecipients().equals(List.of(bob)));
        assertThat(browser.driver.getCurrentUrl()).contains("q=BOB-" + tag);

        // filters: provider, campaign, status
        browser.find(By.id("filter-clear")).click();
        browser.await(d -> rowRecipients().size() == 4);
        new Select(browser.find(By.id("filter-provider"))).selectByValue("resend");
        browser.await(d -> rowRecipients().equals(List.of(viaResend)));
        new Select(browser.find(By.id("filter-provider"))).selectByValue("");
        browser.find(By.id("filter-campaign")).sendKeys(String.valueOf(sesCampaign));
        browser.find(By.id("filter-apply")).click();
        browser.await(d -> rowRecipients().size() == 3 && !rowRecipients().contains(viaResend));
        new Select(browser.find(By.id("filter-status"))).selectByValue("failed");
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("empty")));
        assertThat(browser.find(By.id("empty")).getText()).isEqualTo("No emails match these filters.");
        browser.find(By.id("filter-clear")).click();
        browser.await(d -> rowRecipients().size() == 4);

        // the timeline of a delivered email: the module's record, then the provider's event
        openEmail(ann);
        assertThat(timelineTypes()).containsExactly("queued", "sent", "delivered");
        WebElement facts = browser.find(By.id("email-facts"));
        assertThat(facts.getText()).contains("Amazon SES").contains(annSend.getString("messageId")).contains(from);
        assertThat(browser.find(By.id("email-warning")).isDisplayed()).isFalse();
        browser.screenshot("email-timeline-desktop");
        closeEmail();

        // a bounce, with its reason
        openEmail(bob);
        assertThat(timelineTypes()).containsExactly("queued", "sent", "bounced");
        WebElement bounced = browser.find(By.cssSelector("#timeline li[data-type='bounced']"));
        assertThat(bounced.getText()).contains("Bounced").contains("Amazon SES")
                .contains("Permanent (General): smtp; 550 5.1.1 user unknown");
        closeEmail();

        // the routing warning of a send through the platform's shared domain
        openEmail(viaResend);
        WebElement warning = browser.find(By.id("email-warning"));
        assertThat(warning.isDisplayed()).isTrue();
        assertThat(warning.getText()).startsWith("Routing warning: ").contains("sent through the platform's address");
        assertThat(browser.find(By.id("email-facts")).getText()).contains("Resend");
        closeEmail();
    }

    @Test
    void theEmailsPageOpensFilteredFromItsAddress() {
        String from = "news@verified-" + tag + ".com";
        Campaigns.verifiedDefault(api, from);
        long first = send(from, List.of("one-" + tag + "@inbox-" + tag + ".net"));
        send(from, List.of("two-" + tag + "@inbox-" + tag + ".net"));
        browser.driver.get(site + "senders/emails.html?campaign=" + first);
        awaitList();
        assertThat(browser.find(By.id("filter-campaign")).getDomProperty("value")).isEqualTo(String.valueOf(first));
        assertThat(rowRecipients()).containsExactly("one-" + tag + "@inbox-" + tag + ".net");
    }

    // ------------------------------------------------------------------------------------------ Suppressions

    @Test
    void theSuppressionsPageListsSearchesAndRemovesWithAudit() throws SQLException {
        String complained = "complain-" + tag + "@inbox-" + tag + ".net";
        String unsubscribed = "unsub-" + tag + "@inbox-" + tag + ".net";
        String bouncedForAll = "bounce-" + tag + "@inbox-" + tag + ".net";
        String neverSentTo = "stranger-" + tag + "@inbox-" + tag + ".net";
        sql("insert into senders_suppressions (organization_id, email, type, reason, source_organization_id) values"
                + " ('" + user.organizationId() + "', '" + complained + "', 'complaint', 'abuse', '"
                + user.organizationId() + "'),"
                + " ('" + user.organizationId() + "', '" + unsubscribed + "', 'unsubscribed', 'one-click', '"
                + user.organizationId() + "'),"
                // platform-wide, caused by another organization's mail: seen because this organization sent to it
                + " (null, '" + bouncedForAll + "', 'bounce', 'smtp; 550 secret of the other', 'org-other-" + tag + "'),"
                // platform-wide, for an address this organization never sent to: not listed, found when asked exactly
                + " (null, '" + neverSentTo + "', 'bounce', 'smtp; 550', 'org-other-" + tag + "')");
        sql("insert into senders_sends (organization_id, recipient, from_address, provider, message_id, status)"
                + " values ('" + user.organizationId() + "', '" + bouncedForAll + "', 'news@acme.example', 'ses',"
                + " 'm-" + tag + "', 'sent')");

        browser.find(By.cssSelector("nav.app-nav a[href='suppressions.html']")).click();
        browser.await(ExpectedConditions.urlContains("suppressions.html"));
        awaitList();
        assertThat(suppressionRows()).containsExactlyInAnyOrder(complained, unsubscribed, bouncedForAll);
        WebElement platform = suppressionRow(bouncedForAll);
        assertThat(platform.getText()).contains("Platform-wide").contains("Bounce")
                .contains("Permanent bounce: this address does not accept mail (platform-wide)")
                .doesNotContain("secret of the other");
        assertThat(suppressionRow(complained).getText()).contains("Your organization").contains("Complaint")
                .contains("abuse");
        assertThat(suppressionRow(unsubscribed).getText()).contains("Unsubscribed");
        assertThat(browser.find(By.id("pager-text")).getText()).isEqualTo("Page 1 - 1 of 3 addresses");
        browser.screenshot("suppressions-desktop");

        // search: part of an address; the whole address of a platform-wide entry shows it too
        search("unsub-" + tag);
        browser.await(d -> suppressionRows().equals(List.of(unsubscribed)));
        search(neverSentTo);
        browser.await(d -> suppressionRows().equals(List.of(neverSentTo)));
        browser.find(By.id("search-clear")).click();
        browser.await(d -> suppressionRows().size() == 3);

        // remove the organization's own entry: confirmation, then gone, and audited
        suppressionRow(complained).findElement(By.cssSelector("button.row-remove")).click();
        WebElement dialog = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("remove-dialog")));
        assertThat(dialog.getText()).contains(complained).contains("audit log");
        assertThat(browser.activeElement().getDomAttribute("id")).isEqualTo("remove-cancel");
        browser.find(By.id("remove-confirm")).click();
        browser.await(ExpectedConditions.invisibilityOfElementLocated(By.id("remove-dialog")));
        browser.await(d -> suppressionRows().size() == 2 && !suppressionRows().contains(complained));
        assertThat(count("select count(*) from senders_suppressions where email = '" + complained + "'")).isZero();
        assertThat(count("select count(*) from senders_audit where organization_id = '" + user.organizationId()
                + "' and actor = '" + user.name() + "' and action = 'suppression.removed' and detail like '"
                + complained + "%'")).isEqualTo(1);

        // a platform-wide entry: only a platform administrator may remove it; the page says what the server said
        suppressionRow(bouncedForAll).findElement(By.cssSelector("button.row-remove")).click();
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("remove-dialog")));
        browser.find(By.id("remove-confirm")).click();
        WebElement error = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("remove-error")));
        assertThat(error.getText()).contains("platform administrator");
        browser.find(By.id("remove-cancel")).click();
        assertThat(suppressionRows()).contains(bouncedForAll);
        assertThat(count("select count(*) from senders_suppressions where email = '" + bouncedForAll + "'"))
                .isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------ deletion

    @Test
    void aDeletedSenderShowsAsDeletedAndIsRestoredFromThePage() {
        String email = "news@" + tag + "-restore.com";
        long id = add(email);
        reload();
        openActions(email);
        browser.find(By.id("menu-delete")).click();
        WebElement confirm = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-dialog")));
        assertThat(confirm.getText()).contains(email).contains("restore");
        browser.find(By.id("confirm-delete")).click();
        browser.await(ExpectedConditions.invisibilityOfElementLocated(By.id("confirm-dialog")));

        WebElement deleted = browser.await(ExpectedConditions.visibilityOfElementLocated(deletedRow(id)));
        assertThat(deleted.getText()).contains(email).contains("Deleted").contains("Restorable until")
                .contains("Restore");
        assertThat(browser.findAll(By.cssSelector("tr[data-sender-id='" + id + "']"))).isEmpty();
        assertThat(api.get("api/senders?deleted=true").json().getJsonArray("items")).hasSize(1);
        browser.screenshot("sender-deleted-restore-desktop");

        deleted.findElement(By.cssSelector("button.btn-restore")).click();
        browser.await(ExpectedConditions.numberOfElementsToBe(deletedRow(id), 0));
        WebElement restored = browser.await(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("tr[data-sender-id='" + id + "'] .email-link")));
        assertThat(browser.awaitFocusOn(restored)).isEqualTo(restored);
        assertThat(api.get("api/senders?deleted=true").json().getJsonArray("items")).isEmpty();
        JsonObject sender = api.get("api/senders/" + id).json().getJsonObject("sender");
        assertThat(sender.isNull("deletedAt")).isTrue();
    }

    // ------------------------------------------------------------------------------------------ the phone

    @Test
    void onAPhoneTheSendersListDoesNotScrollSidewaysAndItsActionsAndDialogsFit() {
        String longAddress = "newsletter.announcements@mail.a-rather-long-domain-name-" + tag + ".com";
        add("news@" + tag + "-short.com");
        add(longAddress);
        long gone = add("old@" + tag + "-gone.com");
        assertThat(api.delete("api/senders/" + gone).status()).isEqualTo(204);
        browser.phone();
        reload();
        awaitRowOf(longAddress);
        browser.await(ExpectedConditions.visibilityOfElementLocated(deletedRow(gone)));

        assertThat(browser.scrollsSideways()).as("the page scrolls sideways").isFalse();
        assertThat(browser.script("const s = document.querySelector('#table-card .table-scroll');"
                + " return s.scrollWidth <= s.clientWidth")).as("the list scrolls sideways").isEqualTo(true);
        for (WebElement actions : browser.findAll(By.cssSelector("#sender-rows .row-actions, #sender-rows .btn-restore"))) {
            assertInsideViewport(actions, "row action " + actions.getDomAttribute("aria-label"));
        }
        assertBreaksOnlyAtSeparators(awaitRowOf(longAddress).findElement(By.cssSelector(".email-link .addr-text")),
                true);
        browser.screenshot("phone-senders-list");

        // the ⋮ menu opens inside the screen, and its Delete leads to a confirmation that fits
        openActions(longAddress);
        WebElement menu = browser.find(By.id("row-menu"));
        assertInsideViewport(menu, "the menu", false);
        browser.find(By.id("menu-delete")).click();
        WebElement confirm = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-dialog")));
        assertDialogFits(confirm);
        browser.screenshot("phone-senders-delete-dialog");
        browser.find(By.id("confirm-cancel")).click();
        browser.await(ExpectedConditions.invisibilityOfElementLocated(By.id("confirm-dialog")));

        // the records view fits too
        awaitRowOf(longAddress).findElement(By.cssSelector(".email-link")).click();
        WebElement records = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("step-dns")));
        browser.await(d -> "false".equals(d.findElement(By.id("dns-records")).getDomAttribute("aria-busy"))
                && !d.findElements(By.cssSelector("#dns-records table.dns")).isEmpty());
        assertDialogFits(browser.find(By.id("sender-dialog")));
        assertThat(records.isDisplayed()).isTrue();
        assertInsideViewport(browser.find(By.id("dns-done")), "Done");
        browser.screenshot("phone-senders-records");

        // the add dialog
        browser.find(By.id("dns-done")).click();
        browser.find(By.id("add-sender")).click();
        WebElement add = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("step-email")));
        assertDialogFits(browser.find(By.id("sender-dialog")));
        assertInsideViewport(browser.find(By.id("email-submit")), "Add Sender");
        assertThat(add.isDisplayed()).isTrue();
        browser.screenshot("phone-senders-add-dialog");
    }

    @Test
    void onAPhoneTheEmailsAndSuppressionsPagesDoNotScrollSideways() {
        String from = "news@verified-" + tag + ".com";
        Campaigns.verifiedDefault(api, from);
        String longRecipient = "first.middle.lastname-" + tag + "@department.example-organisation-" + tag + ".net";
        send(from, List.of(longRecipient, "x-" + tag + "@inbox-" + tag + ".net"));
        JsonObject sent = onlySend(longRecipient);
        postSns(SnsFixtures.notification(SesEvents.delivery(sent.getString("messageId"), longRecipient)));
        sql("insert into senders_suppressions (organization_id, email, type, reason) values ('"
                + user.organizationId() + "', '" + longRecipient + "', 'complaint', 'abuse')");
        browser.phone();

        browser.driver.get(site + "senders/emails.html");
        awaitList();
        assertThat(rowRecipients()).hasSize(2);
        assertThat(browser.scrollsSideways()).as("the Emails page scrolls sideways").isFalse();
        assertBreaksOnlyAtSeparators(row(longRecipient).findElement(By.cssSelector(".addr-text")), false);
        assertInsideViewport(row(longRecipient).findElement(By.cssSelector(".email-link")), "the email");
        browser.screenshot("phone-emails");
        openEmail(longRecipient);
        assertDialogFits(browser.find(By.id("email-dialog")));
        assertThat(timelineTypes()).containsExactly("queued", "sent", "delivered");
        browser.screenshot("phone-email-timeline");
        closeEmail();

        browser.driver.get(site + "senders/suppressions.html");
        awaitList();
        assertThat(suppressionRows()).containsExactly(longRecipient);
        assertThat(browser.scrollsSideways()).as("the Suppressions page scrolls sideways").isFalse();
        WebElement remove = suppressionRow(longRecipient).findElement(By.cssSelector("button.row-remove"));
        assertInsideViewport(remove, "Remove");
        browser.screenshot("phone-suppressions");
        remove.click();
        assertDialogFits(browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("remove-dialog"))));
        browser.find(By.id("remove-cancel")).click();
    }

    // ------------------------------------------------------------------------------------------ Unicode domains

    @Test
    void aUnicodeDomainShowsAsTypedWithItsAsciiFormBeside() {
        String typed = "info@bücher.de";
        String ascii = "info@" + IDN.toASCII("bücher.de");
        assertThat(ascii).isEqualTo("info@xn--bcher-kva.de");
        long id = add(typed);
        reload();

        WebElement row = browser.await(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("tr[data-sender-id='" + id + "']")));
        WebElement link = row.findElement(By.cssSelector(".email-link"));
        assertThat(link.findElement(By.cssSelector(".addr-text")).getText()).isEqualTo("info@bücher.de");
        assertThat(link.findElement(By.cssSelector(".addr-ascii")).getDomProperty("textContent"))
                .endsWith("xn--bcher-kva.de");
        assertThat(row.findElement(By.cssSelector(".row-actions")).getDomAttribute("aria-label"))
                .isEqualTo("Actions for info@bücher.de");
        browser.screenshot("unicode-domain-list-desktop");

        // the records view: the sender and the zone as typed, with the ASCII form that DNS needs beside them
        link.click();
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("step-dns")));
        browser.await(d -> "false".equals(d.findElement(By.id("dns-records")).getDomAttribute("aria-busy"))
                && !d.findElements(By.cssSelector("#dns-records table.dns")).isEmpty());
        WebElement sender = browser.find(By.id("dns-sender"));
        assertThat(sender.findElement(By.cssSelector(".addr-text")).getText()).isEqualTo("info@bücher.de");
        assertThat(sender.findElement(By.cssSelector(".addr-ascii")).getDomProperty("textContent"))
                .endsWith("xn--bcher-kva.de");
        WebElement zone = browser.find(By.id("dns-zone"));
        assertThat(zone.findElement(By.cssSelector(".addr-text")).getText()).isEqualTo("bücher.de");
        assertThat(zone.findElement(By.cssSelector(".addr-ascii")).getDomProperty("textContent"))
                .endsWith("xn--bcher-kva.de");
        assertThat(browser.findAll(By.cssSelector("#dns-records .fqdn")).stream().map(WebElement::getText))
                .as("record names are what DNS needs").allSatisfy(n -> assertThat(n).endsWith("xn--bcher-kva.de"));
        browser.screenshot("unicode-domain-records-desktop");
        browser.find(By.id("dns-done")).click();

        // the delete confirmation
        openActions("info@bücher.de");
        browser.find(By.id("menu-delete")).click();
        WebElement confirm = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-dialog")));
        assertThat(confirm.findElement(By.cssSelector("#confirm-email .addr-text")).getText())
                .isEqualTo("info@bücher.de");
        assertThat(confirm.findElement(By.cssSelector("#confirm-email .addr-ascii")).getDomProperty("textContent"))
                .endsWith("xn--bcher-kva.de");
        browser.find(By.id("confirm-cancel")).click();

        // and on a phone
        browser.phone();
        reload();
        WebElement onPhone = browser.await(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("tr[data-sender-id='" + id + "'] .email-link")));
        assertThat(onPhone.getText()).contains("info@bücher.de").contains("xn--bcher-kva.de");
        assertThat(browser.scrollsSideways()).isFalse();
        browser.screenshot("phone-unicode-domain-list");
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** The element lies inside the screen (it can be seen and tapped without scrolling sideways). */
    private void assertInsideViewport(WebElement element, String what) {
        assertInsideViewport(element, what, true);
    }

    /** {@code tap}: also that a tap at its centre reaches it (scrolling it into view first; a menu closes on scroll). */
    private void assertInsideViewport(WebElement element, String what, boolean tap) {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) browser.script("const r = arguments[0].getBoundingClientRect();"
                + " return {left: r.left, right: r.right, width: r.width, vw: window.innerWidth,"
                + " hit: !arguments[1] || (() => { arguments[0].scrollIntoView({block: 'center'});"
                + " const b = arguments[0].getBoundingClientRect();"
                + " const e = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);"
                + " return e !== null && (e === arguments[0] || arguments[0].contains(e)); })()}", element, tap);
        double left = ((Number) r.get("left")).doubleValue();
        double right = ((Number) r.get("right")).doubleValue();
        double vw = ((Number) r.get("vw")).doubleValue();
        assertThat(((Number) r.get("width")).doubleValue()).as(what + " has a size").isGreaterThan(0);
        assertThat(left).as(what + " starts inside the screen").isGreaterThanOrEqualTo(0);
        assertThat(right).as(what + " ends inside the screen (" + vw + ")").isLessThanOrEqualTo(vw);
        assertThat(r.get("hit")).as(what + " is what a tap at its centre reaches").isEqualTo(true);
    }

    /** The dialog lies inside the screen and does not scroll sideways. */
    private void assertDialogFits(WebElement dialog) {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) browser.script("const d = arguments[0];"
                + " const r = d.getBoundingClientRect();"
                // what a person could scroll sideways: a box that scrolls (auto, scroll) with more than its width
                + " const wide = [d, ...d.querySelectorAll('*')].filter(n => n.getClientRects().length > 0"
                + "   && ['auto', 'scroll'].includes(getComputedStyle(n).overflowX)"
                + "   && n.scrollWidth > n.clientWidth + 1)"
                + "   .map(n => (n.id || n.className || n.tagName) + ' ' + n.scrollWidth + '/' + n.clientWidth"
                + "     + ' widest: ' + [...n.querySelectorAll('*')].reduce((w, c) => c.getBoundingClientRect().right"
                + "       > w[1] ? [(c.id || c.className || c.tagName), c.getBoundingClientRect().right] : w, ['', 0])"
                + "       .join(' ') + ' text: ' + (() => { const w = document.createTreeWalker(n, NodeFilter.SHOW_TEXT);"
                + "       let best = ['', 0]; while (w.nextNode()) { const r = document.createRange();"
                + "         r.selectNodeContents(w.currentNode); const right = r.getBoundingClientRect().right;"
                + "         let a = w.currentNode.parentElement, clipped = false;"
                + "         while (a && a !== n) { if (getComputedStyle(a).overflowX !== 'visible') clipped = true;"
                + "           a = a.parentElement; }"
                + "         if (!clipped && right > best[1]) best = [w.currentNode.parentElement.className + ':'"
                + "           + w.currentNode.textContent.slice(0, 40), right]; } return best.join(' '); })());"
                + " return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, vw: window.innerWidth,"
                + " vh: window.innerHeight, wide: wide.join(', ')}", dialog);
        double vw = ((Number) r.get("vw")).doubleValue();
        double vh = ((Number) r.get("vh")).doubleValue();
        assertThat(((Number) r.get("left")).doubleValue()).as("dialog left").isGreaterThanOrEqualTo(0);
        assertThat(((Number) r.get("right")).doubleValue()).as("dialog right").isLessThanOrEqualTo(vw);
        assertThat(((Number) r.get("top")).doubleValue()).as("dialog top").isGreaterThanOrEqualTo(0);
        assertThat(((Number) r.get("bottom")).doubleValue()).as("dialog bottom").isLessThanOrEqualTo(vh);
        assertThat(r.get("wide")).as("parts of the dialog that scroll sideways").isEqualTo("");
    }

    /**
     * The address wraps only at its break opportunities (before @, after dots) or after a hyphen of a label, never
     * between two letters of a word: within each text piece between the break opportunities, the line changes only
     * after a '-'. {@code mustWrap}: and it does wrap (it is too long for one line).
     */
    private void assertBreaksOnlyAtSeparators(WebElement addressText, boolean mustWrap) {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) browser.script("const node = arguments[0];"
                + " const texts = [...node.childNodes].filter(n => n.nodeType === Node.TEXT_NODE);"
                + " const wbr = node.querySelectorAll('wbr').length;"
                + " const split = []; const tops = new Set();"
                + " for (const t of texts) { const s = t.textContent; let before = null;"
                + "   for (let i = 0; i < s.length; i++) { const range = document.createRange();"
                + "     range.setStart(t, i); range.setEnd(t, i + 1);"
                + "     const top = Math.round(range.getBoundingClientRect().top); tops.add(top);"
                + "     if (before !== null && top !== before && s[i - 1] !== '-') split.push(s.slice(0, i) + '|' + s.slice(i));"
                + "     before = top; } }"
                + " return {wbr: wbr, pieces: texts.length, split: split.join(' | '), lines: tops.size,"
                + " text: node.textContent}", addressText);
        String text = (String) r.get("text");
        long separators = text.chars().filter(c -> c == '@' || c == '.').count();
        assertThat(((Number) r.get("wbr")).longValue()).as("a break opportunity at each @ and dot of " + text)
                .isEqualTo(separators);
        assertThat(r.get("split")).as("pieces broken inside a word").isEqualTo("");
        if (mustWrap) {
            assertThat(((Number) r.get("lines")).intValue()).as(text + " wraps").isGreaterThan(1);
        }
    }

    private long send(String from, List<String> to) {
        return Campaigns.startAndAwait(api, Campaigns.create(api, from, "Hello " + tag, to));
    }

    private JsonObject onlySend(String recipient) {
        var items = api.get("api/emails?q=" + URLEncoder.encode(recipient, StandardCharsets.UTF_8)).json()
                .getJsonArray("items");
        assertThat(items).hasSize(1);
        return items.getJsonObject(0);
    }

    private void postSns(SnsMessage message) {
        Api anonymous = Api.anonymous(base);
        Api.Reply reply = anonymous.send(anonymous.request("api/webhooks/ses-events")
                .header("Content-Type", "text/plain; charset=UTF-8")
                .header("x-amz-sns-message-type", message.type)
                .POST(HttpRequest.BodyPublishers.ofString(message.body(SnsFixtures.pki()), StandardCharsets.UTF_8)));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }

    private long add(String email) {
        Api.Reply reply = api.post("api/senders", Json.createObjectBuilder().add("emailAddress", email).build()
                .toString());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().getJsonObject("sender").getJsonNumber("id").longValue();
    }

    private void reload() {
        browser.driver.navigate().refresh();
        awaitList();
    }

    private void awaitList() {
        browser.await(d -> "false".equals(d.findElement(By.id("table-card")).getDomAttribute("aria-busy")));
    }

    private WebElement awaitRowOf(String email) {
        return browser.await(ExpectedConditions.visibilityOfElementLocated(By.xpath(
                "//tbody[@id='sender-rows']/tr[.//button[contains(@class,'email-link')"
                        + " and starts-with(normalize-space(.), '" + email + "')]]")));
    }

    private WebElement openActions(String email) {
        WebElement actions = awaitRowOf(email).findElement(By.cssSelector(".row-actions"));
        actions.click();
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("row-menu")));
        return actions;
    }

    private static By deletedRow(long id) {
        return By.cssSelector("tr.deleted[data-deleted-sender-id='" + id + "']");
    }

    /** Read in one script: the rows are redrawn while a wait polls them. */
    @SuppressWarnings("unchecked")
    private List<String> texts(String selector) {
        return (List<String>) browser.script("return [...document.querySelectorAll(arguments[0])]"
                + ".map(n => n.textContent)", selector);
    }

    private List<String> rowRecipients() {
        return texts("#email-rows tr .email-link .addr-text");
    }

    private WebElement row(String recipient) {
        return browser.findAll(By.cssSelector("#email-rows tr")).stream()
                .filter(r -> recipient.equals(r.findElement(By.cssSelector(".email-link .addr-text"))
                        .getDomProperty("textContent")))
                .findFirst().orElseThrow(() -> new AssertionError("no row for " + recipient));
    }

    private String badgeOf(String recipient) {
        return row(recipient).findElement(By.cssSelector(".cell-status .badge")).getText();
    }

    private void openEmail(String recipient) {
        row(recipient).findElement(By.cssSelector(".email-link")).click();
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("email-dialog")));
        browser.await(d -> "false".equals(d.findElement(By.id("email-dialog")).getDomAttribute("aria-busy"))
                && !d.findElements(By.cssSelector("#timeline li[data-type]")).isEmpty());
    }

    private void closeEmail() {
        browser.find(By.cssSelector("#email-dialog .dialog-footer .dialog-close")).click();
        browser.await(ExpectedConditions.invisibilityOfElementLocated(By.id("email-dialog")));
    }

    private List<String> timelineTypes() {
        return browser.findAll(By.cssSelector("#timeline li[data-type]")).stream()
                .map(li -> li.getDomAttribute("data-type")).toList();
    }

    private List<String> suppressionRows() {
        return texts("#suppression-rows tr .suppressed-address .addr-text");
    }

    private WebElement suppressionRow(String email) {
        return browser.findAll(By.cssSelector("#suppression-rows tr")).stream()
                .filter(r -> email.equals(r.findElement(By.cssSelector(".suppressed-address .addr-text"))
                        .getDomProperty("textContent")))
                .findFirst().orElseThrow(() -> new AssertionError("no row for " + email));
    }

    private void search(String q) {
        WebElement input = browser.find(By.id("search-q"));
        input.clear();
        input.sendKeys(q);
        browser.find(By.id("search-apply")).click();
    }

    private static void sql(String statement) {
        Campaigns.sql(statement);
    }

    private static long count(String query) {
        return Campaigns.query(query, rs -> rs.getLong(1)).get(0);
    }

    private void quit() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }
}
