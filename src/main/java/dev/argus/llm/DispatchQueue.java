package dev.argus.llm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * Tasks waiting for a key: highest priority first, then NEWEST (under overload operators need each camera's
 * current view; an old task is worth less than a fresh one, and a retried task keeps its place by its original
 * sequence number). Bounded; entries past their deadline are taken out by {@link #expire}.
 * Not thread-safe: owned by one dispatcher.
 */
public final class DispatchQueue<J> {
  public record Entry<J>(J job, int priority, long seq, long deadlineMs) {}

  private static final Comparator<Entry<?>> ORDER = Comparator.<Entry<?>>comparingInt(e -> -e.priority())
      .thenComparingLong(e -> -e.seq());

  /** Sequence numbers are unique among waiting entries, so (deadline, seq) orders them all. */
  private static final Comparator<Entry<?>> BY_DEADLINE = Comparator.<Entry<?>>comparingLong(Entry::deadlineMs)
      .thenComparingLong(Entry::seq);

  private final TreeSet<Entry<J>> entries = new TreeSet<>(ORDER);
  /**
   * The same entries by deadline: {@link #expire} runs on every pump (every task in, every reply), and a scan of
   * the whole queue there cost O(queue) per event; with this index it costs O(expired · log n).
   */
  private final TreeSet<Entry<J>> byDeadline = new TreeSet<>(BY_DEADLINE);
  private final int capacity;

  public DispatchQueue(int capacity) {
    this.capacity = capacity;
  }

  /** The entry, or null when the queue is full (the caller's backpressure should have prevented it). */
  public Entry<J> offer(J job, int priority, long seq, long deadlineMs) {
    if (entries.size() >= capacity) return null;
    Entry<J> e = new Entry<>(job, priority, seq, deadlineMs);
    if (!entries.add(e)) return null;
    byDeadline.add(e);
    return e;
  }

  /** Takes out an entry that {@link #offer} returned; false if it is no longer waiting. */
  public boolean remove(Entry<J> e) {
    if (!entries.remove(e)) return false;
    byDeadline.remove(e);
    return true;
  }

  /** Waiting entries in dispatch order (remove through the iterator to take one). */
  public Iterator<Entry<J>> inOrder() {
    Iterator<Entry<J>> it = entries.iterator();
    return new Iterator<>() {
      private Entry<J> last;

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Entry<J> next() {
        return last = it.next();
      }

      @Override
      public void remove() {
        it.remove();
        byDeadline.remove(last);
      }
    };
  }

  /** Removes and returns the entries whose deadline is at or before {@code nowMs}. */
  public List<Entry<J>> expire(long nowMs) {
    if (byDeadline.isEmpty() || byDeadline.first().deadlineMs() > nowMs) return List.of();
    List<Entry<J>> out = new ArrayList<>();
    while (!byDeadline.isEmpty() && byDeadline.first().deadlineMs() <= nowMs) {
      Entry<J> e = byDeadline.pollFirst();
      entries.remove(e);
      out.add(e);
    }
    return out;
  }

  public int size() {
    return entries.size();
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }
}
