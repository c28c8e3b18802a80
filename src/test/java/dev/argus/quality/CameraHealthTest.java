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
      new ArgusConfig.Quality(true, 30_000, WINDOW, 3, 2, 0.5, 0.6, 10_000));
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
}
