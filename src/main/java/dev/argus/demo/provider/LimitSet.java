package dev.argus.demo.provider;

import java.util.ArrayList;
import java.util.List;

/**
 * All limits one call must pass: its key's own and its account's (shared with the account's other keys).
 * A call is admitted only if every limit admits it, and then every limit takes it; a refused call takes
 * nothing (failed calls not counting is the simulator's simplification).
 */
public final class LimitSet {
  private final List<Limit> limits;

  public LimitSet(List<Limit> limits) {
    this.limits = List.copyOf(limits);
  }

  /**
   * The outcome of one admission check; {@code waitNanos} is the longest wait among the refusing limits, and
   * {@code unit} what the refusing limit counts (tokens or requests; null when admitted).
   */
  public record Decision(boolean admitted, Refusal refusal, long waitNanos, Unit unit) {
    static final Decision ADMIT = new Decision(true, null, 0, null);
  }

  public Decision tryAdmit(long tokens) {
    Refusal kind = null;
    Unit unit = null;
    long wait = 0;
    for (Limit l : limits) {
      long w = l.waitNanos(tokens);
      if (w <= 0) continue;
      // An exhausted quota outranks everything (retrying can never help); else the longest wait says why.
      boolean why = l.refusal() == Refusal.QUOTA || (kind != Refusal.QUOTA && (kind == null || w > wait));
      if (why) {
        kind = l.refusal();
        Limit.Level lv = l.level();
        unit = lv == null ? Unit.REQUESTS : lv.unit();
      }
      wait = Math.max(wait, w);
    }
    if (kind != null) return new Decision(false, kind, wait, unit);
    for (Limit l : limits) l.take(tokens);
    return Decision.ADMIT;
  }

  /** The call admitted at {@code takenAt} ended: concurrency is released and token limits settle charged against used. */
  public void finish(long takenAt, long charged, long used) {
    for (Limit l : limits) l.finish(takenAt, charged, used);
  }

  /** The tightest level per unit (least remaining), requests first; for the rate-limit headers. */
  public List<Limit.Level> levels() {
    List<Limit.Level> out = new ArrayList<>();
    for (Unit u : Unit.values()) {
      Limit.Level best = null;
      for (Limit l : limits) {
        Limit.Level lv = l.level();
        if (lv == null || lv.unit() != u) continue;
        if (best == null || lv.remaining() < best.remaining()) best = lv;
      }
      if (best != null) out.add(best);
    }
    return out;
  }
}
