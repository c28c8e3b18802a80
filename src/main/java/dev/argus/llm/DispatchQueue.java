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

  private final TreeSet<Entry<J>> entries = new TreeSet<>(ORDER);
  private final int capacity;

  public DispatchQueue(int capacity) {
    this.capacity = capacity;
  }

  /** The entry, or null when the queue is full (the caller's backpressure should have prevented it). */
  public Entry<J> offer(J job, int priority, long seq, long deadlineMs) {
    if (entries.size() >= capacity) return null;
    Entry<J> e = new Entry<>(job, priority, seq, deadlineMs);
    return entries.add(e) ? e : null;
  }

  /** Takes out an entry that {@link #offer} returned; false if it is no longer waiting. */
  public boolean remove(Entry<J> e) {
    return entries.remove(e);
  }

  /** Waiting entries in dispatch order (remove through the iterator to take one). */
  public Iterator<Entry<J>> inOrder() {
    return entries.iterator();
  }

  /** Removes and returns the entries whose deadline is at or before {@code nowMs}. */
  public List<Entry<J>> expire(long nowMs) {
    List<Entry<J>> out = new ArrayList<>();
    entries.removeIf(e -> {
      if (e.deadlineMs() > nowMs) return false;
      out.add(e);
      return true;
    });
    return out;
  }

  public int size() {
    return entries.size();
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }
}
