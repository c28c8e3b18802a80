package dev.argus.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What happens in the demo, and when: the ground truth the demo's alerts are scored against. Most
 * cameras stay calm; every cycle, five scripted incidents happen on five different cameras (chosen with
 * the seed, so the same seed always gives the same script): a fire, a weapon, a person entering a
 * restricted zone, a crowd building up, and a camera going silent. Times are milliseconds since the
 * demo started; {@code timeScale} shrinks them all (0.5 = everything twice as fast), so a test can
 * watch a whole cycle in a minute or two.
 */
public final class DemoScript {
  /** The scripted incidents, with their place in the cycle (unscaled, ms). */
  public enum Kind {
    FIRE(40_000, 30_000), WEAPON(70_000, 20_000), INTRUSION(100_000, 25_000), CROWD_BUILDING(120_000, 60_000),
    SILENT(150_000, 45_000);

    final long offsetMs;
    final long durationMs;

    Kind(long offsetMs, long durationMs) {
      this.offsetMs = offsetMs;
      this.durationMs = durationMs;
    }

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One incident: on {@code cameraId}, from {@code startMs} (inclusive) to {@code endMs} (exclusive). */
  public record Incident(String cameraId, Kind kind, long startMs, long endMs) {
    public boolean activeAt(long tMs) {
      return tMs >= startMs && tMs < endMs;
    }
  }

  /**
   * A cycle's length, unscaled: it opens with 40 s of calm (the gateway's first assessments of every
   * camera are done by then, and a viewer sees the calm wall first) and ends 25 s after the last incident.
   */
  static final long CYCLE_MS = 220_000;

  private final int cameras;
  private final long seed;
  private final double timeScale;

  public DemoScript(int cameras, long seed, double timeScale) {
    if (cameras < 1) throw new IllegalArgumentException("the script needs a camera");
    if (timeScale <= 0) throw new IllegalArgumentException("timeScale must be > 0");
    this.cameras = cameras;
    this.seed = seed;
    this.timeScale = timeScale;
  }

  public long cycleMs() {
    return Math.round(CYCLE_MS * timeScale);
  }

  /** The id of the i-th simulated camera (from 1). */
  public static String cameraId(int i) {
    return String.format("cam-%03d", i);
  }

  /** Demo cameras with a restricted zone (see {@link DemoSetup}): every fifth, from the first. */
  public static boolean hasZone(int i) {
    return i % 5 == 1;
  }

  /**
   * The incidents of cycle {@code n} (from 0), in start order, each on its own camera: an intrusion on a
   * camera with a zone, the others on cameras without. With too few cameras for all five, the kinds
   * that find no camera are left out.
   */
  public List<Incident> cycle(int n) {
    Random r = new Random(seed * 31 + n);
    List<Integer> zoned = new ArrayList<>();
    List<Integer> plain = new ArrayList<>();
    for (int i = 1; i <= cameras; i++) (hasZone(i) ? zoned : plain).add(i);
    List<Incident> out = new ArrayList<>();
    long base = n * cycleMs();
    for (Kind k : Kind.values()) {
      List<Integer> free = k == Kind.INTRUSION ? zoned : plain; // only a zone camera can see an intrusion
      if (free.isEmpty()) continue;
      int cam = free.remove(r.nextInt(free.size()));
      long start = base + Math.round(k.offsetMs * timeScale);
      out.add(new Incident(cameraId(cam), k, start, start + Math.round(k.durationMs * timeScale)));
    }
    return out;
  }

  /** Every incident that started at or before {@code elapsedMs}. */
  public List<Incident> startedBy(long elapsedMs) {
    List<Incident> out = new ArrayList<>();
    for (int n = 0; n * cycleMs() <= elapsedMs; n++) {
      for (Incident i : cycle(n)) if (i.startMs() <= elapsedMs) out.add(i);
    }
    return out;
  }

  /** The incident on this camera at {@code elapsedMs}, or null when it is calm. */
  public Incident activeOn(String cameraId, long elapsedMs) {
    int n = (int) (elapsedMs / cycleMs());
    for (Incident i : cycle(n)) if (i.cameraId().equals(cameraId) && i.activeAt(elapsedMs)) return i;
    return null;
  }
}
