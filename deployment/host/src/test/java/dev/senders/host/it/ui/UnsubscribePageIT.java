package dev.senders.host.it.ui;

import dev.senders.host.it.TestUsers;
import dev.senders.host.it.Unsubscribes;
import dev.senders.host.it.security.DbSnapshot;
import dev.senders.infrastructure.unsubscribe.UnsubscribeToken;
import dev.senders.infrastructure.unsubscribe.UnsubscribeTokens;
import dev.senders.sandbox.TestCredentials;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.net.URL;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17: the page of a one-click unsubscribe link in Chromium, opened by nobody signed in, as a recipient opens it
 * from an email: the confirmation with its button (opening it changes nothing), the answer after pressing it (the
 * recipient is suppressed for the organization), the page of an expired link; no Content-Security-Policy violation
 * on any of them, and the stylesheet applied (it is a file: the policy forbids inline style). Screenshots in
 * {@code target/screenshots}.
 */
@ExtendWith(ArquillianExtension.class)
class UnsubscribePageIT {

    @ArquillianResource
    URL base;

    private Browser browser;
    private String site;

    @BeforeEach
    void start() {
        site = base.toString().replaceFirst("://localhost([:/])", "://127.0.0.1$1");
        if (!site.endsWith("/")) {
            site += "/";
        }
        browser = Browser.start();
    }

    @AfterEach
    void noContentSecurityPolicyViolation() {
        try {
            assertThat(browser.contentSecurityPolicyViolations()).as("Content-Security-Policy violations").isEmpty();
        } finally {
            browser.close();
        }
    }

    /** The link as the recipient follows it: the email's path, on the instance under test. */
    private String link(String token) {
        return site + "api/unsubscribe/" + token;
    }

    @Test
    void theRecipientConfirmsWithTheButtonAndIsUnsubscribed() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        TestUsers.User user = TestUsers.inNewOrganization();
        String recipient = "reader-" + tag + "@inbox-page.net";
        Unsubscribes.send(base, user.organizationId(), "news@page-" + tag + ".com", recipient, true, "digest");
        String token = Unsubscribes.tokenSentThroughResend(recipient);
        DbSnapshot before = DbSnapshot.awaitQuiet();

        browser.driver.get(link(token));
        WebElement button = browser.await(ExpectedConditions.elementToBeClickable(By.id("unsubscribe")));
        assertThat(browser.find(By.tagName("h1")).getText()).isEqualTo("Unsubscribe");
        assertThat(browser.find(By.tagName("main")).getText()).contains(recipient);
        assertThat(button.getText()).isEqualTo("Unsubscribe");
        // the stylesheet applied: the card is a white box on the grey page, the button dark
        assertThat(browser.find(By.cssSelector("main.card")).getCssValue("background-color"))
                .isEqualTo("rgba(255, 255, 255, 1)");
        assertThat(button.getCssValue("background-color")).isEqualTo("rgba(17, 24, 39, 1)");
        browser.screenshot("unsubscribe-confirmation");
        assertThat(DbSnapshot.take().changedSince(before)).as("tables changed by opening the link").isEmpty();
        assertThat(Unsubscribes.suppressions(user.organizationId(), recipient)).isEmpty();

        button.click();

        browser.await(ExpectedConditions.textToBe(By.tagName("h1"), "You are unsubscribed"));
        assertThat(browser.driver.getCurrentUrl()).as("no redirect").isEqualTo(link(token));
        assertThat(browser.find(By.tagName("main")).getText()).contains(recipient)
                .contains("will get no more emails from this sender");
        browser.screenshot("unsubscribe-done");
        assertThat(Unsubscribes.suppressions(user.organizationId(), recipient)).containsExactly("unsubscribed|digest");
        assertThat(Unsubscribes.heard(base, user.organizationId())).hasSize(1);

        // opening the link again says so, without a button
        browser.driver.get(link(token));
        browser.await(ExpectedConditions.textToBe(By.tagName("h1"), "You are unsubscribed"));
        assertThat(browser.findAll(By.id("unsubscribe"))).isEmpty();
    }

    @Test
    void anExpiredLinkSaysWhatToDo() {
        String token = new UnsubscribeTokens(List.of(TestCredentials.UNSUBSCRIBE_SECRET)).sign(new UnsubscribeToken(
                TestUsers.newOrganization(), "late@inbox-page.net", null, LocalDate.now(ZoneOffset.UTC).minusDays(1)));

        browser.driver.get(link(token));

        browser.await(ExpectedConditions.textToBe(By.tagName("h1"), "This unsubscribe link has expired"));
        assertThat(browser.find(By.tagName("main")).getText()).contains("more recent email");
        assertThat(browser.findAll(By.tagName("form"))).isEmpty();
        browser.screenshot("unsubscribe-expired");
    }
}
