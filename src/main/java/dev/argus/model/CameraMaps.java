package dev.argus.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-camera state whose keys come from producers: a map that keeps at most {@code max} cameras and lets the
 * least recently used one go first. Without a bound, a producer that cycles camera ids (by mistake or on
 * purpose) grows every such map until the heap is full. Only for state whose loss is harmless (recomputed,
 * re-read or merely less complete); state that must not be lost needs its own rule (see {@code FrameGate}).
 */
public final class CameraMaps {
  private CameraMaps() {}

  public static <V> Map<String, V> leastRecentOut(int max) {
    if (max < 1) throw new IllegalArgumentException("max must be at least 1");
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > max;
      }
    };
  }
}
