package dev.argus.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Per-camera state whose keys come from producers: a map that keeps at most {@code max} cameras and lets the
 * least recently used one go first. Without a bound, a producer that cycles camera ids (by mistake or on
 * purpose) grows every such map until the heap is full. Only for state whose loss is harmless (recomputed,
 * re-read or merely less complete); state some of which must stay uses {@link #eldestBeyond} instead.
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

  /**
   * For a map in access order ({@code new LinkedHashMap<>(16, 0.75f, true)}): the least recently used keys that
   * {@code mayGo} lets go, as many as the map holds beyond {@code max} (fewer when too few may go). The caller
   * removes them, with whatever else forgetting a camera means to it.
   */
  public static <V> List<String> eldestBeyond(Map<String, V> accessOrdered, int max, BiPredicate<String, V> mayGo) {
    int excess = accessOrdered.size() - max;
    List<String> out = new ArrayList<>(Math.max(0, excess));
    for (Map.Entry<String, V> e : accessOrdered.entrySet()) {
      if (out.size() >= excess) break;
      if (mayGo.test(e.getKey(), e.getValue())) out.add(e.getKey());
    }
    return out;
  }
}
