package dev.argus.it.browser;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.PageLoadStrategy;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

/**
 * Headless Debian Chromium driven through Debian's chromedriver (no driver or browser is downloaded: a
 * missing one is a failure that says how to install it).
 */
public final class Chromium {
  public static final Path BROWSER = Path.of(System.getProperty("argus.chromium", "/usr/bin/chromium"));
  public static final Path DRIVER = Path.of(System.getProperty("argus.chromedriver", "/usr/bin/chromedriver"));

  private Chromium() {}

  /** Null when both are there, else what is missing and how to get it. */
  public static String missing() {
    StringBuilder m = new StringBuilder();
    if (!Files.isExecutable(BROWSER)) m.append(BROWSER).append(" (Debian package chromium) ");
    if (!Files.isExecutable(DRIVER)) m.append(DRIVER).append(" (Debian package chromium-driver) ");
    return m.isEmpty() ? null : "the browser tests need " + m
        + "- run scripts/test.sh, which installs them with apt-get (or: apt-get install -y chromium chromium-driver)";
  }

  /** A fresh headless browser with its own profile, its viewport set to width × height. */
  public static ChromeDriver start(Path profile, int width, int height) throws IOException {
    String why = missing();
    if (why != null) throw new AssertionError(why);
    Files.createDirectories(profile);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--hide-scrollbars",
        "--window-size=" + width + "," + height, "--user-data-dir=" + profile.toAbsolutePath());
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    // The page's scripts run at the end of the body: DOMContentLoaded is enough, and a busy machine
    // does not hold a navigation for the last stylesheet.
    options.setPageLoadStrategy(PageLoadStrategy.EAGER);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort()
        .withLogFile(profile.resolveSibling(profile.getFileName() + "-chromedriver.log").toFile())
        .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(45));
    viewport(driver, width, height, false);
    return driver;
  }

  /** Opens url; on a loaded machine the renderer can miss one navigation's deadline, so it gets a second try. */
  public static void open(ChromeDriver driver, String url) {
    try {
      driver.get(url);
    } catch (TimeoutException slow) {
      driver.get(url);
    }
  }

  /** Emulates a viewport (CSS pixels), e.g. a phone's 390 × 844 with {@code mobile}. */
  public static void viewport(ChromeDriver driver, int width, int height, boolean mobile) {
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
  }

  public static Path screenshot(ChromeDriver driver, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    return file;
  }

  /** The page's console errors and uncaught exceptions since the last call. */
  public static List<String> severeLogs(ChromeDriver driver) {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .toList();
  }

  public static void quietly(ChromeDriver driver) {
    if (driver == null) return;
    try {
      driver.quit();
    } catch (RuntimeException ignored) {
      // the browser is gone already
    }
  }
}
