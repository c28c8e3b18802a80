package dev.argus.it;

import dev.argus.it.browser.Chromium;
import dev.argus.it.browser.DemoJar;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The dashboard in a real browser: the fat jar in demo mode as a process, the page at {@code /} in headless
 * Debian Chromium driven by Selenium. Checks what an operator sees (the camera wall coming alive, an
 * assessment and an alert, the key pool with the revoked key disabled, the pipeline) and that the page's
 * event-bus connection cannot send or publish anything. Screenshots go to target/dashboard.png (1280×800)
 * and target/dashboard-phone.png (390×844).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DashboardBrowserIT {
  private static final int CAMERAS = 12;
  private static final String TEST_CAMERA = "browser-test-cam";
  private static final Set<String> LEVELS = Set.of("low", "medium", "high", "critical");

  @TempDir
  static Path dir;
  private static DemoJar gateway;
  private static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    // Never a skip: without the browser this is a failure that says how to get one.
    String missing = Chromium.missing();
    if (missing != null) fail(missing);
    stepStarted = System.nanoTime();
    gateway = DemoJar.start(dir, CAMERAS);
    step("gateway ready (demo, " + CAMERAS + " cameras)");
    browser = Chromium.start(dir.resolve("chromium-profile"), 1280, 800);
    step("chromium started");
  }

  @AfterAll
  static void stop() throws Exception {
    Chromium.quietly(browser);
    if (gateway != null) gateway.close();
  }

  @Test
  @Order(1)
  void theCameraWallComesAliveWithAssessmentsAlertsTheKeyPoolAndThePipeline() throws Exception {
    stepStarted = System.nanoTime();
    Chromium.open(browser, gateway.url("/"));
    waitFor(Duration.ofSeconds(20), "the event-bus connection to open (#conn data-state=open)",
        d -> "open".equals(d.findElement(By.id("conn")).getDomAttribute("data-state")));

    // one tile per simulated camera, and they update: a tile's latest frame changes over time
    waitFor(Duration.ofSeconds(30), CAMERAS + " camera tiles",
        d -> d.findElements(By.cssSelector("#cameras .tile[data-camera-id^='cam-']")).size() >= CAMERAS);
    String firstFrame = waitFor(Duration.ofSeconds(10), "a frame on cam-001's tile", d -> nonEmpty(tile("cam-001").getDomAttribute("data-frame-id")));
    waitFor(Duration.ofSeconds(15), "cam-001's tile to show a newer frame than " + firstFrame,
        d -> !firstFrame.equals(tile("cam-001").getDomAttribute("data-frame-id")));
    step("tiles appear and update");
    String fps = tile("cam-001").findElement(By.className("tile-fps")).getText();
    assertTrue(fps.matches("\\d+\\.\\d fps · \\d+ obj"), "frames a second on the tile: " + fps);

    // an assessment shows on a simulated camera's tile: risk level, summary, source, age
    WebElement assessed = waitFor(Duration.ofSeconds(40), "an assessment on a simulated camera's tile", d -> d
        .findElements(By.cssSelector("#cameras .tile[data-camera-id^='cam-'][data-risk]")).stream()
        .filter(t -> isIn(LEVELS, t.getDomAttribute("data-risk"))).findFirst().orElse(null));
    assertFalse(assessed.findElement(By.className("tile-summary")).getText().isBlank(), "the tile shows the summary");
    assertTrue(assessed.getDomAttribute("class").contains("risk-" + assessed.getDomAttribute("data-risk")), "risk colour class");
    assertTrue(isIn(Set.of("llm", "rules"), assessed.getDomAttribute("data-source")), "source on the tile");

    step("an assessment on a tile");
    // a hazard posted for a camera of our own: its tile turns high/critical, its boxes are drawn in frame
    // coordinates, and an alert row for it appears in the feed
    JsonObject frame = new JsonObject().put("camera_id", TEST_CAMERA).put("frame_id", 1).put("model_type", "yolov8n")
        .put("timestamp", System.currentTimeMillis()).put("image_width", 1280).put("image_height", 720)
        .put("detections", new JsonArray()
            .add(new JsonObject().put("label", "knife").put("confidence", 0.93).put("bbox", new JsonArray().add(600).add(300).add(700).add(400)).put("track_id", 7))
            .add(new JsonObject().put("label", "fire").put("confidence", 0.88).put("bbox", new JsonArray().add(100).add(100).add(220).add(200)))
            .add(new JsonObject().put("label", "person").put("confidence", 0.9).put("bbox", new JsonArray().add(900).add(200).add(980).add(420)).put("track_id", 1)));
    var posted = gateway.postJson("/api/v1/detections", frame.encode());
    assertEquals(202, posted.statusCode(), posted.body());
    WebElement hazardTile = waitFor(Duration.ofSeconds(40), "a high or critical assessment on " + TEST_CAMERA + "'s tile",
        d -> d.findElements(By.cssSelector("#cameras .tile[data-camera-id='" + TEST_CAMERA + "']")).stream()
            .filter(t -> isIn(Set.of("high", "critical"), t.getDomAttribute("data-risk"))).findFirst().orElse(null));
    assertEquals("1", hazardTile.getDomAttribute("data-frame-id"), "the live frame reached the tile");
    // The knife's box [600,300,700,400] in a 1280×720 frame lands at x 180..210, y 90..120 of the
    // 384×216 canvas: its left edge is drawn in the hazard red, the area far from any box is not.
    @SuppressWarnings("unchecked")
    List<Long> edge = (List<Long>) js().executeScript(
        "const c = document.querySelector(\"#cameras .tile[data-camera-id='" + TEST_CAMERA + "'] canvas\");"
            + "const at = (x, y) => Array.from(c.getContext('2d').getImageData(x, y, 1, 1).data).slice(0, 3);"
            + "return at(180, 105).concat(at(300, 40));");
    assertTrue(edge.get(0) > 200 && edge.get(1) < 140, "the knife's box edge is drawn at its frame coordinates: rgb " + edge.subList(0, 3));
    assertTrue(edge.get(3) < 60, "no box far from the detections: rgb " + edge.subList(3, 6));

    step("the hazard camera's tile turned high/critical");
    WebElement alertRow = waitFor(Duration.ofSeconds(30), "an alert row for " + TEST_CAMERA,
        d -> d.findElements(By.cssSelector("#alerts li[data-alert-id][data-camera-id='" + TEST_CAMERA + "']")).stream().findFirst().orElse(null));
    assertFalse(alertRow.getDomAttribute("data-alert-id").isBlank());
    assertTrue(isIn(Set.of("open", "updated", "escalated", "resolved"), alertRow.getDomAttribute("data-status")),
        "alert status: " + alertRow.getDomAttribute("data-status"));
    assertTrue(isIn(Set.of("high", "critical"), alertRow.getDomAttribute("data-level")), "alert level");
    int rowsForAlert = browser.findElements(By.cssSelector("#alerts li[data-alert-id='" + alertRow.getDomAttribute("data-alert-id") + "']")).size();
    assertEquals(1, rowsForAlert, "one row per alert id");

    step("its alert row");
    // the key pool: every key, masked, the revoked one disabled
    waitFor(Duration.ofSeconds(40), "the revoked demo key disabled in the key pool",
        d -> d.findElements(By.cssSelector("#keys tr[data-key-id][data-state='disabled']")).size() == 1);
    List<WebElement> keys = browser.findElements(By.cssSelector("#keys tr[data-key-id]"));
    JsonObject pool = new JsonObject(gateway.get("/api/v1/llm/keys").body());
    assertEquals(pool.getJsonArray("keys").size(), keys.size(), "a row per key: " + pool);
    assertEquals(6, keys.size(), "5 demo keys and the revoked one");
    for (WebElement k : keys) {
      String mask = k.findElement(By.className("key-mask")).getText();
      assertTrue(mask.contains("…"), "key " + k.getDomAttribute("data-key-id") + " is shown masked: " + mask);
    }
    WebElement revoked = browser.findElement(By.cssSelector("#keys tr[data-state='disabled']"));
    assertTrue(revoked.getDomAttribute("data-key-id").contains("revoked"), "the disabled key is the revoked one");

    step("the key pool with the revoked key disabled");
    // the pipeline panel and its charts
    waitFor(Duration.ofSeconds(10), "ingest rate in the pipeline panel",
        d -> !d.findElement(By.cssSelector("#k-frames .kpi-value")).getText().equals("–"));
    assertFalse(browser.findElements(By.cssSelector("#chart-rate canvas")).isEmpty(), "the throughput chart");
    assertFalse(browser.findElements(By.cssSelector("#chart-backlog canvas")).isEmpty(), "the backlog chart");

    // the camera view: click the tile, its history (REST) and latest assessment
    browser.findElement(By.cssSelector("#cameras .tile[data-camera-id='" + TEST_CAMERA + "']")).click();
    waitFor(Duration.ofSeconds(10), "the camera view of " + TEST_CAMERA + " with its history",
        d -> "true".equals(d.findElement(By.id("camview")).getDomProperty("open"))
            && TEST_CAMERA.equals(d.findElement(By.id("camview")).getDomAttribute("data-camera-id"))
            && !d.findElements(By.cssSelector("#cv-hist tr")).isEmpty());
    assertFalse(browser.findElement(By.id("cv-summary")).getText().isBlank());
    browser.findElement(By.id("cv-close")).click();
    waitFor(Duration.ofSeconds(5), "the camera view to close", d -> !"true".equals(d.findElement(By.id("camview")).getDomProperty("open")));

    step("the camera view with its history");
    // feed health: a burst of refused frames for a camera turns its tile's health chip on (rejected_burst)
    String dqCamera = "browser-dq-cam";
    String bad = "{\"camera_id\":\"" + dqCamera + "\",\"detections\":[{\"label\":\"person\",\"confidence\":5,\"bbox\":[1,2,3,4]}]}";
    var refused = gateway.postJson("/api/v1/detections", "[" + String.join(",", java.util.Collections.nCopies(12, bad)) + "]");
    assertEquals(400, refused.statusCode(), refused.body());
    WebElement sick = waitFor(Duration.ofSeconds(40), dqCamera + "'s tile showing a rejected burst",
        d -> d.findElements(By.cssSelector("#cameras .tile[data-camera-id='" + dqCamera + "'][data-health='degraded']")).stream()
            .findFirst().orElse(null));
    assertEquals("rejected burst", sick.findElement(By.className("tile-health")).getDomProperty("textContent").toLowerCase(),
        "the check named on the tile");

    step("a tile's feed health");
    // agreement by model: an operator's verdict on the hazard camera's assessment, read back by a fresh page
    JsonObject latest = new JsonObject(gateway.get("/api/v1/cameras/" + TEST_CAMERA).body()).getJsonObject("latest");
    var verdict = gateway.postJson("/api/v1/assessments/" + latest.getString("task_id") + "/feedback",
        "{\"risk_level\":\"" + latest.getString("risk_level") + "\"}");
    assertEquals(201, verdict.statusCode(), verdict.body());
    String model = new JsonObject(verdict.body()).getString("model");
    Chromium.open(browser, gateway.url("/"));
    WebElement modelRow = waitFor(Duration.ofSeconds(20), "a row for " + model + " in Agreement by model",
        d -> d.findElements(By.cssSelector("#agreement tr[data-model]")).stream()
            .filter(r -> model.equals(r.getDomAttribute("data-model"))).findFirst().orElse(null));
    List<WebElement> cells = modelRow.findElements(By.tagName("td"));
    assertTrue(cells.get(2).getText().matches("\\d+%"), "share of agree: " + cells.get(2).getText());
    assertTrue(cells.get(3).getText().matches("\\d\\.\\d\\d"), "MAE: " + cells.get(3).getText());
    assertTrue(browser.findElement(By.id("agreement-empty")).getDomProperty("hidden").equals("true"));
    waitFor(Duration.ofSeconds(20), "the event-bus connection to open again",
        d -> "open".equals(d.findElement(By.id("conn")).getDomAttribute("data-state")));

    step("agreement by model");
    // the charts take two more pipeline snapshots (argus.stats, once a second), then the screenshots
    Object snapshots = js().executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        const eb = window.argus && window.argus.eb;
        if (!eb) { done('the page has no EventBus'); return; }
        let n = 0;
        const seen = (err, msg) => { if (!err && ++n === 2) { eb.unregisterHandler('argus.stats', seen); done(n); } };
        eb.registerHandler('argus.stats', seen);
        """);
    assertEquals(2L, snapshots, "two pipeline snapshots reached the page");
    js().executeScript("window.scrollTo(0, 0)");
    Chromium.screenshot(browser, Path.of("target", "dashboard.png"));
    Chromium.viewport(browser, 390, 844, true);
    try {
      waitFor(Duration.ofSeconds(5), "the phone layout", d -> ((Number) js().executeScript("return window.innerWidth")).intValue() == 390);
      // The charts resize on their own (after the layout change): the page must settle without sideways scroll.
      long[] overflow = {0};
      waitFor(Duration.ofSeconds(5), "no sideways scroll at phone width (last overflow: see below)", d -> {
        overflow[0] = ((Number) js().executeScript("return document.documentElement.scrollWidth - window.innerWidth")).longValue();
        return overflow[0] <= 0;
      });
      assertTrue(overflow[0] <= 0, "the page scrolls sideways at phone width by " + overflow[0] + " px");
      Chromium.screenshot(browser, Path.of("target", "dashboard-phone.png"));
    } finally {
      Chromium.viewport(browser, 1280, 800, false);
    }
    step("screenshots");
    List<String> errors = Chromium.severeLogs(browser);
    assertTrue(errors.isEmpty(), "errors in the page's console: " + errors);
  }

  @Test
  @Order(2)
  void theBridgeRefusesEverySendAndPublishFromThePage() throws Exception {
    stepStarted = System.nanoTime();
    Chromium.open(browser, gateway.url("/"));
    waitFor(Duration.ofSeconds(20), "the event-bus connection to open",
        d -> "open".equals(d.findElement(By.id("conn")).getDomAttribute("data-state")));
    waitFor(Duration.ofSeconds(20), "camera tiles", d -> !d.findElements(By.cssSelector("#cameras .tile")).isEmpty());

    // Through the page's own EventBus: a send (with a reply handler) and a publish to each address the
    // page listens on, and to the internal key-admin address. The bridge answers each with access_denied.
    @SuppressWarnings("unchecked")
    Map<String, Object> result = (Map<String, Object>) js().executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        const eb = window.argus && window.argus.eb;
        if (!eb || eb.state !== EventBus.OPEN) { done({ fatal: 'the page has no open EventBus' }); return; }
        const addresses = ['argus.detections', 'argus.assessments', 'argus.alerts', 'argus.stats', 'argus.llm.keys',
                           'argus.internal.llm.admin'];
        const denied = [], replies = [], other = [];
        const previous = eb.onerror;
        eb.onerror = (e) => { const what = e && (e.body || e.message || e.failureType); (what === 'access_denied' ? denied : other).push(String(what)); };
        const forged = { camera_id: 'forged-cam', task_id: 'forged-cam:1', risk_level: 'critical', risk_score: 1,
                         summary: 'forged', alert_id: 'forged-alert', level: 'critical', status: 'open', count: 1,
                         action: 'disable', id: 'demo-01', reason: 'forged from a browser' };
        try {
          for (const a of addresses) {
            eb.send(a, forged, {}, (err, reply) => {
              if (err) { const what = err.message || err.body || err.failureType; (String(what).includes('access_denied') ? denied : other).push(String(what)); }
              else replies.push(a + ' -> ' + JSON.stringify(reply && reply.body));
            });
            eb.publish(a, forged);
          }
        } catch (e) { done({ fatal: String(e) }); return; }
        const expected = addresses.length * 2;
        const started = Date.now();
        (function check() {
          if (denied.length >= expected || Date.now() - started > 8000) {
            setTimeout(() => { eb.onerror = previous; done({ denied: denied.length, expected, replies, other, open: eb.state === EventBus.OPEN }); }, 1500);
          } else setTimeout(check, 100);
        })();
        """);
    assertNull(result.get("fatal"), String.valueOf(result.get("fatal")));
    assertEquals(((Number) result.get("expected")).longValue(), ((Number) result.get("denied")).longValue(),
        "every send and publish is refused with access_denied: " + result);
    assertEquals(List.of(), result.get("replies"), "nothing answered a browser's send");
    assertEquals(Boolean.TRUE, result.get("open"), "the refusal does not close the page's connection");

    // nothing forged reached the bus: no tile, no alert row, and the key the forged admin command named is not
    // disabled. A marker frame posted now comes through the same connection after anything forged would have,
    // so once its tile is on the page, a forged message would be there too.
    String marker = "browser-marker-" + System.nanoTime();
    var posted = gateway.postJson("/api/v1/detections", new JsonObject().put("camera_id", marker).put("frame_id", 1)
        .put("detections", new JsonArray()).encode());
    assertEquals(202, posted.statusCode(), posted.body());
    waitFor(Duration.ofSeconds(30), "the marker camera's tile", d -> !d.findElements(By.cssSelector(
        "#cameras .tile[data-camera-id='" + marker + "'][data-frame-id='1']")).isEmpty());
    assertTrue(browser.findElements(By.cssSelector("[data-camera-id='forged-cam']")).isEmpty(), "a forged assessment reached the page");
    assertTrue(browser.findElements(By.cssSelector("[data-alert-id='forged-alert']")).isEmpty(), "a forged alert reached the page");
    JsonObject pool = new JsonObject(gateway.get("/api/v1/llm/keys").body());
    for (Object k : pool.getJsonArray("keys")) {
      JsonObject key = (JsonObject) k;
      if ("demo-01".equals(key.getString("id"))) assertNotEquals("disabled", key.getString("state"), "a browser disabled a key: " + key);
    }
    assertEquals("open", browser.findElement(By.id("conn")).getDomAttribute("data-state"));
    step("sends and publishes refused");
  }

  // ---------------------------------------------------------------------------------------------

  private static long stepStarted = System.nanoTime();

  /** Progress on stdout (the failsafe report keeps it): which step took how long on this machine. */
  private static void step(String done) {
    long now = System.nanoTime();
    System.out.printf("DashboardBrowserIT: %-55s %6d ms%n", done, (now - stepStarted) / 1_000_000);
    stepStarted = now;
  }

  private static WebElement tile(String cameraId) {
    return browser.findElement(By.cssSelector("#cameras .tile[data-camera-id='" + cameraId + "']"));
  }

  private static JavascriptExecutor js() {
    return browser;
  }

  /** Set.of(..).contains(null) throws; an absent attribute is simply not in the set. */
  private static boolean isIn(Set<String> set, String value) {
    return value != null && set.contains(value);
  }

  private static String nonEmpty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** Waits until {@code condition} gives a non-null, non-false value; fails with what was awaited and the gateway's log. */
  private static <T> T waitFor(Duration timeout, String what, ExpectedCondition<T> condition) {
    try {
      return new WebDriverWait(browser, timeout, Duration.ofMillis(200)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
          .ignoring(org.openqa.selenium.NoSuchElementException.class).until(condition);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
          + "\npage console: " + safeLogs() + "\ngateway log tail:\n" + gateway.tail(), e);
    }
  }

  private static List<String> safeLogs() {
    try {
      return Chromium.severeLogs(browser);
    } catch (RuntimeException e) {
      return List.of("(no logs: " + e.getMessage() + ")");
    }
  }
}
