package dev.argus.llm;

import dev.argus.config.LlmKeySpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The configured keys, taken in turn. A key is skipped while it is disabled (an auth failure: it stays
 * out until an operator re-enables it), while {@code usable} says no (its breaker is open), or when
 * the task already tried it. Not thread-safe: owned by one dispatcher instance.
 */
public final class KeyRing {
  public enum State { ACTIVE, DISABLED }

  public static final class Key {
    public final LlmKeySpec spec;
    State state = State.ACTIVE;
    String reason;
    int inFlight;
    final RollingRate successRate = new RollingRate(300_000, 30);

    Key(LlmKeySpec spec) {
      this.spec = spec;
    }

    public State state() {
      return state;
    }

    public String reason() {
      return reason;
    }

    public int inFlight() {
      return inFlight;
    }

    public double successRate(long nowMs) {
      return successRate.rate(nowMs);
    }
  }

  private final List<Key> keys = new ArrayList<>();
  private int next;

  public KeyRing(List<LlmKeySpec> specs) {
    specs.forEach(s -> keys.add(new Key(s)));
  }

  public List<Key> keys() {
    return keys;
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /** The next key in turn that is active, usable and not in {@code tried}; null when there is none. */
  public Key next(Set<String> tried, Predicate<Key> usable) {
    for (int i = 0; i < keys.size(); i++) {
      Key k = keys.get((next + i) % keys.size());
      if (k.state == State.ACTIVE && !tried.contains(k.spec.id()) && usable.test(k)) {
        next = (next + i + 1) % keys.size();
        return k;
      }
    }
    return null;
  }

  public void started(Key k) {
    k.inFlight++;
  }

  public void finished(Key k, boolean success, long nowMs) {
    k.inFlight--;
    k.successRate.record(success, nowMs);
  }

  public void disable(Key k, String reason) {
    k.state = State.DISABLED;
    k.reason = reason;
  }

  public long activeCount() {
    return keys.stream().filter(k -> k.state == State.ACTIVE).count();
  }
}
