package dev.senders.host.it.ui;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * Headless Chromium of the machine (Debian's {@code chromium} and {@code chromedriver} packages), driven on loopback.
 * Nothing is downloaded: the driver and the browser are named explicitly, so Selenium Manager never runs.
 */
final class Browser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String CHROMIUM = System.getProperty("senders.test.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("senders.test.chromedriver", "/usr/bin/chromedriver");

    final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;

    private Browser(ChromeDriverService service, ChromeDriver driver, Path profile) {
        this.service = service;
        this.driver = driver;
        this.profile = profile;
    }

    static Browser start() {
        Path profile;
        try {
            profile = Files.createTempDirectory("senders-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .withSilent(true)
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--lang=en-US",
                "--window-size=1280,900", "--user-data-dir=" + profile);
        // the console ("browser" log), where Chromium reports every Content-Security-Policy violation
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            deleteQuietly(profile);
            throw e;
        }
        driver.manage().window().setSize(new Dimension(1280, 900));
        return new Browser(service, driver, profile);
    }

    /**
     * A phone's screen: a 390×844 CSS-pixel viewport with touch-device behaviour (the page's viewport meta applies), as
     * Chrome's device emulation makes it; {@link #desktop()} undoes it.
     */
    void phone() {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
    }

    void desktop() {
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    /** Whether the page scrolls sideways: the document is wider than the viewport. */
    boolean scrollsSideways() {
        return Boolean.TRUE.equals(script(
                "return document.scrollingElement.scrollWidth > window.innerWidth"));
    }

    /** Lets pages of the origin read and write the clipboard without asking (a test reads what was copied). */
    void grantClipboard(String site) {
        URI uri = URI.create(site);
        String origin = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        driver.executeCdpCommand("Browser.grantPermissions", Map.of(
                "origin", origin,
                "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
    }

    /** The text on the system clipboard, as the page can read it. */
    String readClipboard() {
        Object text = ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "navigator.clipboard.readText().then(done, e => done('ERROR: ' + e));");
        return String.valueOf(text);
    }

    private final List<String> console = new ArrayList<>();

    /** Everything the pages wrote to the console since the browser started (reading the log empties it). */
    List<String> console() {
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            console.add(entry.getLevel() + " " + entry.getMessage());
        }
        return List.copyOf(console);
    }

    /** The console's reports of Content-Security-Policy violations, on every page loaded so far. */
    List<String> contentSecurityPolicyViolations() {
        return console().stream().filter(line -> line.contains("Content Security Policy")).toList();
    }

    /** Forgets what the console said so far (after a test provoked a violation on purpose). */
    void clearConsole() {
        console();
        console.clear();
    }

    WebDriverWait waiting() {
        return new WebDriverWait(driver, Duration.ofSeconds(15), Duration.ofMillis(50));
    }

    <T> T await(ExpectedCondition<T> condition) {
        return waiting().until(condition);
    }

    WebElement find(By by) {
        return driver.findElement(by);
    }

    List<WebElement> findAll(By by) {
        return driver.findElements(by);
    }

    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    WebElement activeElement() {
        return driver.switchTo().activeElement();
    }

    /**
     * Waits until {@code element} has the focus, then returns the focused element. After a dialog closes, the page
     * moves the focus back in its {@code close} handler, which runs a task after the dialog is hidden; asserting at
     * once raced it. A page that never moves the focus there still fails, after the wait.
     */
    WebElement awaitFocusOn(WebElement element) {
        try {
            waiting().until(d -> element.equals(activeElement()));
        } catch (org.openqa.selenium.TimeoutException e) {
            // fall through: the caller's assertion names what has the focus instead
        }
        return activeElement();
    }

    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory
        }
    }
}
