package dev.argus.backbone;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which offsets may be committed when records finish out of order: per partition, everything below
 * the lowest offset still in progress (or everything seen, when nothing is). Committing past an
 * unfinished record would lose it on a crash. It also knows the time of each record seen and not yet
 * committed, for the lag in seconds. Not thread-safe: one consumer's context owns it.
 *
 * @param <P> the partition type
 */
public final class OffsetTracker<P> {
  private static final class Partition {
    final TreeSet<Long> inProgress = new TreeSet<>();
    final TreeMap<Long, Long> uncommittedTimes = new TreeMap<>();
    long nextAfterSeen = -1;
    long committed = -1;
  }

  private final Map<P, Partition> partitions = new HashMap<>();

  /** A record was handed out; {@code timestampMs} is the record's own time. */
  public void started(P partition, long offset, long timestampMs) {
    Partition p = partitions.computeIfAbsent(partition, k -> new Partition());
    p.inProgress.add(offset);
    p.uncommittedTimes.put(offset, timestampMs);
    p.nextAfterSeen = Math.max(p.nextAfterSeen, offset + 1);
  }

  public void finished(P partition, long offset) {
    Partition p = partitions.get(partition);
    if (p != null) p.inProgress.remove(offset);
  }

  /** The offsets to commit now (the next offset to read, per partition), only where they moved. */
  public Map<P, Long> committable() {
    Map<P, Long> out = new HashMap<>();
    partitions.forEach((tp, p) -> {
      long next = p.inProgress.isEmpty() ? p.nextAfterSeen : p.inProgress.first();
      if (next > p.committed) out.put(tp, next);
    });
    return out;
  }

  /** Records that the broker accepted these commits: what lies below them is done for good. */
  public void committed(Map<P, Long> offsets) {
    offsets.forEach((tp, next) -> {
      Partition p = partitions.get(tp);
      if (p == null) return;
      p.committed = Math.max(p.committed, next);
      p.uncommittedTimes.headMap(p.committed).clear();
      p.inProgress.headSet(p.committed).clear();
    });
  }

  /** The partition went to another consumer: forget it (its unfinished records will be redelivered there). */
  public void revoked(P partition) {
    partitions.remove(partition);
  }

  public int inProgress() {
    int n = 0;
    for (Partition p : partitions.values()) n += p.inProgress.size();
    return n;
  }

  /** The time of the oldest record at a committed offset (seen, not yet committed), or -1 when none is. */
  public long oldestUncommittedMs() {
    long oldest = -1;
    for (Partition p : partitions.values()) {
      if (p.uncommittedTimes.isEmpty()) continue;
      long t = p.uncommittedTimes.firstEntry().getValue();
      if (oldest < 0 || t < oldest) oldest = t;
    }
    return oldest;
  }
}
