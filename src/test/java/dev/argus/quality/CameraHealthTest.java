package dev.argus.quality;

import dev.argus.config.ArgusConfig;
import dev.argus.model.Alert;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CameraHealthTest {
  private static final long WINDOW = 10_000;
  private final CameraHealth health = new CameraHealth(
      new ArgusConfig.Quality(true, 30_000, WINDOW, 3, 2, 0.5, 0.6, 10_000, 5, 3.0));
  private long now;

  /** {@code seconds} of frames at {@code fps}, stamped {@code skewMs} off, with detections of {@code confidence}. */
  private List<Alert> feed(int seconds, double fps, double confidence, long skewMs) {
    List<Alert> out = new ArrayList<>();
    long step = Math.round(1000 / fps);
    long end = now + seconds * 1000L;
    for (; now < end; now += step) {
      out.addAll(health.onFrame("cam", now - skewMs, now, confidence));
      out.addAll(health.tick(now));
    }
    return out;
  }

  private List<Alert> healthy(int seconds) {
    return feed(seconds, 2, 0.8, 0);
  }

  private static List<String> events(List<Alert> alerts) {
    return alerts.stream().map(a -> a.rule() + " " + a.status()).toList();
  }

  @Test
  void aSteadyCameraRaisesNothing() {
    assertEquals(List.of(), healthy(300));
  }

  @Test
  void aSilentCameraAlertsAfterSilentAfterMsAndResolvesWithItsNextFrame() {
    healthy(60);
    assertEquals(List.of(), health.tick(now + 29_000));
    List<Alert> silent = health.tick(now + 30_000);
    assertEquals(List.of("silent open"), events(silent));
    assertEquals(Alert.DATA_QUALITY, silent.get(0).kind());
    now += 45_000;
    assertEquals(List.of("silent resolved"), events(healthy(60)), "and no rate drop for the silence");
  }

  @Test
  void aFrameRateDropAgainstTheCamerasOwnBaselineAlertsAfterTheConfirmWindowsAndResolves() {
    healthy(60);
    List<Alert> slow = feed(30, 0.5, 0.8, 0);
    assertEquals(List.of("frame_rate_drop open"), events(slow));
    assertEquals(List.of("frame_rate_drop resolved"), events(healthy(30)));
  }

  @Test
  void aCameraThatIsAlwaysSlowIsItsOwnBaseline() {
    assertEquals(List.of(), feed(300, 0.5, 0.8, 0));
  }

  @Test
  void aSingleSlowWindowIsNotADrop() {
    healthy(60);
    feed(10, 0.5, 0.8, 0);
    assertEquals(List.of(), healthy(60));
  }

  @Test
  void aConfidenceCollapseAlertsAndResolves() {
    healthy(60);
    assertEquals(List.of("confidence_collapse open"), events(feed(30, 2, 0.3, 0)));
    assertEquals(List.of("confidence_collapse resolved"), events(healthy(30)));
  }

  @Test
  void framesStampedFarFromTheirArrivalAreClockSkew() {
    healthy(20);
    assertEquals(List.of("clock_skew open"), events(feed(30, 2, 0.8, 60_000)));
    assertEquals(List.of("clock_skew resolved"), events(healthy(30)));
  }

  @Test
  void framesWithoutDetectionsSayNothingAboutConfidence() {
    healthy(60);
    assertEquals(List.of(), feed(60, 2, Double.NaN, 0));
  }

  /** One 10 s window of healthy frames at 2/s, with {@code refused} frames of the camera refused at its start; closed. */
  private List<String> window(int refused) {
    List<Alert> out = new ArrayList<>();
    if (refused > 0) out.addAll(health.onRejected("cam", now, refused));
    out.addAll(healthy(10));
    out.addAll(health.tick(now));
    return events(out);
  }

  @Test
  void aBurstOfRejectedFramesAlertsInItsFirstWindowAndResolvesWhenTheCameraRecovers() {
    healthy(60);
    health.tick(now);
    List<Alert> burst = new ArrayList<>(health.onRejected("cam", now, 20));
    burst.addAll(healthy(10));
    burst.addAll(health.tick(now));
    assertEquals(List.of("rejected_burst open"), events(burst));
    assertEquals(Alert.DATA_QUALITY, burst.get(0).kind());
    assertEquals(Alert.OPEN, burst.get(0).status());
    assertEquals(List.of(), window(20), "still bursting: the alert stays open, no second one");
    assertEquals(List.of("rejected_burst resolved"), window(0));
    assertEquals(List.of(), window(0));
  }

  @Test
  void aFewRejectedFramesAreNotABurst() {
    healthy(20);
    health.tick(now);
    assertEquals(List.of(), window(4), "4 refusals in a window is below rejectedBurstMin (5)");
    assertEquals(List.of(), window(0));
  }

  @Test
  void aCameraThatAlwaysSendsSomeBadFramesIsItsOwnBaseline() {
    // 4 refused per window is this camera's usual; 8 is not more than three times that, 15 is.
    health.onFrame("cam", now, now, 0.8);
    for (int w = 0; w < 10; w++) assertEquals(List.of(), window(4));
    assertEquals(List.of(), window(8));
    assertEquals(List.of("rejected_burst open"), window(15));
    assertEquals(List.of("rejected_burst resolved"), window(4));
  }

  @Test
  void aCameraKnownOnlyFromRefusedFramesAlertsButIsNeverCalledSilent() {
    health.onRejected("bad-only", now, 6);
    List<Alert> out = health.tick(now + WINDOW);
    assertEquals(List.of("rejected_burst open"), events(out));
    assertEquals("bad-only", out.get(0).cameraId());
    assertEquals(List.of("rejected_burst resolved"), events(health.tick(now + 2 * WINDOW)), "no refusals in the next window");
    assertEquals(List.of(), health.tick(now + 120_000), "never silent: it never sent a usable frame");
    health.onRejected("bad-only", now + 130_000, 6);
    assertEquals(List.of("rejected_burst open"), events(health.tick(now + 130_000 + WINDOW)), "and it is watched again");
  }
}
