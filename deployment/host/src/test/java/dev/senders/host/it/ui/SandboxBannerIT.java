package dev.senders.host.it.ui;

import dev.senders.host.it.Api;
import dev.senders.host.it.PayaraProcess;
import dev.senders.host.it.TestEnvironment;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16: the sandbox banner tells the truth. With the local SES stand-in and the real Resend (the demo with only
 * {@code RESEND_API_KEY} set), "no email leaves this machine" would be false: the page says which provider is local
 * and which is real. Runs its own Payara Micro, with the sandbox banner on and Resend's real-looking https base URL
 * (on {@code .invalid}, which never resolves: nothing is ever sent there), on a database of its own (so that no
 * campaign of another test is resumed by it).
 */
class SandboxBannerIT {

    @Test
    void withOnlyResendRealThePageSaysWhichProviderIsLocal() throws Exception {
        String database = "senders_banner_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection c = TestEnvironment.db().getConnection(); var s = c.createStatement()) {
            s.execute("create database " + database);
        }
        String url = TestEnvironment.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
        try (PayaraProcess payara = new PayaraProcess("-Dsenders.db.url=" + url, "-Dsenders.sandbox.enabled=true",
                "-Dsenders.resend.base-url=https://api.resend.invalid")) {
            payara.start("sandbox-banner");
            // the demo's identities come with the host's migrations
            JsonObject account = Api.as(payara.base(), "alice", "senders-demo").get("api/senders/account").json();
            assertThat(account.getBoolean("localSandbox")).isTrue();
            assertThat(account.getJsonObject("ses").getBoolean("local")).isTrue();
            assertThat(account.getJsonObject("resend").getBoolean("local")).isFalse();

            String site = payara.base().toString();
            try (Browser browser = Browser.start()) {
                browser.driver.get(site + "login.html?next=" + URLEncoder.encode("/senders/", StandardCharsets.UTF_8));
                browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("alice");
                browser.find(By.id("password")).sendKeys("senders-demo");
                browser.find(By.cssSelector("form button[type='submit']")).click();
                browser.await(ExpectedConditions.urlMatches("/senders/(index\\.html)?$"));
                WebElement banner = browser.await(ExpectedConditions.visibilityOfElementLocated(
                        By.id("sandbox-banner")));
                assertThat(banner.getText()).isEqualTo("Sandbox: Amazon SES is local, Resend is real: email sent"
                        + " through Resend leaves this machine");
                assertThat(banner.getText()).doesNotContain("no email leaves");
                browser.screenshot("sandbox-banner-resend-real");
            }
        } finally {
            try (Connection c = TestEnvironment.db().getConnection(); var s = c.createStatement()) {
                s.execute("drop database if exists " + database + " with (force)");
            } catch (SQLException e) {
                // the next run's names differ; a left-over database harms nothing
            }
        }
    }
}
