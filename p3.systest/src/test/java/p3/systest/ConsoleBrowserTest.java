package p3.systest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser (headless Chromium, driven by Selenium through the system's
 * chromedriver) against {@code p3.jar} running a small live mesh: the page shows every peer, a crash
 * from the shell marks that peer failed on the page within 2 s, and a strategy swapped from the page
 * is what {@code p3:ft} prints. Skipped, saying why, where Chromium or its driver is not installed
 * ({@code .ci/run} installs both).
 */
class ConsoleBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final List<String> PEERS = List.of("sp01", "sp02", "sp03", "sp04", "sensor1", "sensor2", "client");

    @TempDir
    static Path dir;

    static RuntimeProcess runtime;
    static String url;

    WebDriver browser;

    @BeforeAll
    static void startTheRuntime() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "skipped: no headless browser here (" + CHROMIUM + " or " + DRIVER + " is missing);"
                        + " apt-get install chromium chromium-driver, as .ci/run does");
        runtime = RuntimeProcess.start(dir, "small");
        url = runtime.consoleUrl();
        runtime.awaitLine("p3: local mesh of 7 peers formed");
    }

    @AfterAll
    static void stopTheRuntime() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
    }

    @BeforeEach
    void openTheBrowser() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // as root on a closed network (see STACK.md): no sandbox, none of the browser's own connections
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().withLogFile(new File(dir.toFile(), "chromedriver.log")).build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /**
     * How the page draws a peer now ({@code bound}, {@code rebinding}, {@code failed}), read in one
     * script: the page redraws the tree at every sample, so an element found before may be gone.
     */
    String drawnState(String peer) {
        Object state = ((JavascriptExecutor) browser).executeScript(
                "var e = document.getElementById(arguments[0]); return e ? e.getAttribute('data-state') : null;",
                "peer-" + peer);
        return state == null ? null : state.toString();
    }

    @Test
    void thePageShowsEveryPeerMarksACrashAtOnceAndSwapsTheStrategy() throws Exception {
        browser.get(url + "#token=" + runtime.token());
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        for (String peer : PEERS) {
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("peer-" + peer)));
        }
        assertThat(drawnState("sp03")).isEqualTo("bound");

        // a crash from the shell: the page marks the peer failed within 2 s
        runtime.shellWhenReady("p3:crash sp03");
        long crashed = System.nanoTime();
        new WebDriverWait(browser, Duration.ofMillis(2000), Duration.ofMillis(50))
                .until(b -> "failed".equals(drawnState("sp03")));
        long millis = (System.nanoTime() - crashed) / 1_000_000;
        System.out.println("p3.systest: the page showed the crash of sp03 after " + millis + " ms");
        assertThat(millis).as("ms until the page showed the crash").isLessThan(2000);

        // a swap from the page: p3:ft prints the new strategy for the live super-peers
        assertThat(runtime.shell("p3:ft")).contains("hybrid");
        new Select(browser.findElement(By.id("ft-strategy"))).selectByValue("passive");
        browser.findElement(By.id("ft-runtime")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "use passive"));
        String ft = await().atMost(Duration.ofSeconds(10)).until(() -> runtime.shell("p3:ft"),
                out -> List.of("sp01", "sp02", "sp04").stream().allMatch(p -> out.lines()
                        .anyMatch(l -> l.startsWith(p + " ") && l.contains(" passive "))));
        assertThat(ft).contains("strategies here: active, hybrid, passive");

        String audit = Files.readString(dir.resolve("audit.log"));
        String me = System.getProperty("user.name"); // the peer's user, as the runtime's shell read it
        assertThat(audit).contains("\"what\":\"crash sp03\",\"outcome\":\"ok\"")
                .contains("\"who\":\"shell " + runtime.shellSocket + " (user " + me + ")\"")
                .contains("\"who\":\"console 127.0.0.1:").contains("\"what\":\"ft passive\",\"outcome\":\"ok\"");
    }
}
