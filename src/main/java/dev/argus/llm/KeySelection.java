package dev.argus.llm;

import dev.argus.config.SelectionStrategy;

import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/** Which of the keys that could take a call now gets it, by the configured strategy. Not thread-safe. */
final class KeySelection {
  private static final Comparator<PooledKey> BY_PRIORITY_THEN_ID =
      Comparator.<PooledKey>comparingInt(k -> k.spec.priority()).thenComparing(k -> k.spec.id());

  private static final Comparator<PooledKey> BY_PRIORITY_THEN_LRU =
      Comparator.<PooledKey>comparingInt(k -> k.spec.priority()).thenComparingLong(k -> k.lastChosen)
          .thenComparing(k -> k.spec.id());

  private final SelectionStrategy strategy;
  private int rrNext;

  KeySelection(SelectionStrategy strategy) {
    this.strategy = strategy;
  }

  /** One of {@code candidates} (not empty, all in {@code keys}). */
  PooledKey choose(List<PooledKey> keys, List<PooledKey> candidates) {
    switch (strategy) {
      case LEAST_LOADED:
        // Equal loads (common: keys of one account share its rate, and a fast provider leaves nothing in flight)
        // go to the key chosen longest ago, not always the same one: a provider's unseen per-key limit is then
        // met by a share of the calls, and every key gets its first (probe) call.
        return Collections.min(candidates, Comparator.comparingDouble(PooledKey::load).thenComparing(BY_PRIORITY_THEN_LRU));
      case ROUND_ROBIN:
        for (int i = 0; i < keys.size(); i++) {
          int idx = (rrNext + i) % keys.size();
          if (candidates.contains(keys.get(idx))) {
            rrNext = (idx + 1) % keys.size();
            return keys.get(idx);
          }
        }
        throw new IllegalStateException("no candidate in the ring");
      case WEIGHTED:
      default: {
        // Smooth weighted round robin (nginx): every candidate gains its weight, the highest current weight
        // wins and pays back the total. Among equal current weights the lower priority number, then the id.
        long total = 0;
        PooledKey best = null;
        for (PooledKey k : candidates) {
          k.wrrCurrent += k.weight;
          total += k.weight;
          if (best == null || k.wrrCurrent > best.wrrCurrent
              || (k.wrrCurrent == best.wrrCurrent && BY_PRIORITY_THEN_ID.compare(k, best) < 0)) {
            best = k;
          }
        }
        best.wrrCurrent -= total;
        return best;
      }
    }
  }
}
