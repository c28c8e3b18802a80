package dev.argus.backbone;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which offsets may be committed when records finish out of order: per partition, everything below
 * the lowest offset still in progress (or everything seen, when nothing is). Committing past an
 * unfinished record would lose it on a crash. Not thread-safe: one consumer's context owns it.
 *
 * @param <P> the partition type
 */
public final class OffsetTracker<P> {
  private static final class Partition {
    final TreeSet<Long> inProgress = new TreeSet<>();
    long nextAfterSeen = -1;
    long committed = -1;
  }

  private final Map<P, Partition> partitions = new HashMap<>();

  public void started(P partition, long offset) {
    Partition p = partitions.computeIfAbsent(partition, k -> new Partition());
    p.inProgress.add(offset);
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

  /** Records that the broker accepted these commits. */
  public void committed(Map<P, Long> offsets) {
    offsets.forEach((tp, next) -> {
      Partition p = partitions.get(tp);
      if (p != null) p.committed = Math.max(p.committed, next);
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
}
