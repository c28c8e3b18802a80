package dev.argus.llm.cluster;

import com.hazelcast.map.IMap;
import dev.argus.llm.SharedChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One call in the whole cluster on a key that is not yet proven. A Hazelcast map holds each key's register:
 * absent (free), {@code held:<node>} (one node's probe, with a time to live so a dead node's probe frees
 * itself), {@code proven}, or {@code disabled:<reason>} (the provider refused the key). A node may call an
 * unproven key only after its {@code putIfAbsent} won the register; a lost race tells it what the register
 * says, so a node that asks after the probe ended learns "proven" or "disabled" in the same atomic step and
 * never sends a second call on a revoked key.
 *
 * <p>Remote operations run on {@code worker} (never on the pool's thread); answers come back through
 * {@code owner}. Not thread-safe otherwise.
 */
final class ProbeRegister {
  private static final Logger log = LoggerFactory.getLogger(ProbeRegister.class);
  static final String PROVEN = "proven";
  static final String DISABLED = "disabled:";

  private enum Hold { NONE, ASKING, HELD, SENT }

  private static final class Probe {
    Hold hold = Hold.NONE;
    long heldUntil;
  }

  private final IMap<String, String> map;
  private final String mine;
  private final long ttlMs;
  private final Executor worker;
  private final Executor owner;
  private final Runnable wake;
  private final Consumer<SharedChange> apply;
  private final LongSupplier nanos;
  private final Map<String, Probe> probes = new HashMap<>();

  /**
   * @param ttlMs how long a probe outlives a silent node; longer than a call can take
   * @param apply applies what a lost race revealed (proven, disabled) to this node's pool, on its thread
   */
  ProbeRegister(IMap<String, String> map, String nodeId, long ttlMs, Executor worker, Executor owner, Runnable wake,
                Consumer<SharedChange> apply, LongSupplier nanos) {
    this.map = map;
    this.mine = "held:" + nodeId;
    this.ttlMs = ttlMs;
    this.worker = worker;
    this.owner = owner;
    this.wake = wake;
    this.apply = apply;
    this.nanos = nanos;
  }

  boolean mayProbe(String keyId) {
    Probe p = probes.computeIfAbsent(keyId, k -> new Probe());
    // A held probe not sent within a third of its time to live is asked for again (which renews it), so that
    // a probe never goes out on a register entry about to expire.
    if (p.hold == Hold.HELD && nanos.getAsLong() - p.heldUntil >= 0) p.hold = Hold.NONE;
    if (p.hold == Hold.HELD) return true;
    if (p.hold == Hold.NONE) ask(keyId, p);
    return false;
  }

  void sent(String keyId) {
    probes.computeIfAbsent(keyId, k -> new Probe()).hold = Hold.SENT;
  }

  private void ask(String keyId, Probe p) {
    p.hold = Hold.ASKING;
    worker.execute(() -> {
      String before;
      try {
        before = map.putIfAbsent(keyId, mine, ttlMs, TimeUnit.MILLISECONDS);
        if (mine.equals(before)) map.put(keyId, mine, ttlMs, TimeUnit.MILLISECONDS); // ours: renew
      } catch (RuntimeException e) {
        log.warn("probe register for key {} did not answer: {}", keyId, e.toString());
        owner.execute(() -> p.hold = Hold.NONE);
        return;
      }
      owner.execute(() -> answered(keyId, p, before));
    });
  }

  private void answered(String keyId, Probe p, String before) {
    p.hold = Hold.NONE;
    if (before == null || before.equals(mine)) {
      p.hold = Hold.HELD;
      p.heldUntil = nanos.getAsLong() + TimeUnit.MILLISECONDS.toNanos(ttlMs / 3);
      wake.run();
    } else if (before.equals(PROVEN)) {
      apply.accept(new SharedChange.Proven(keyId));
      wake.run();
    } else if (before.startsWith(DISABLED)) {
      apply.accept(new SharedChange.KeyDisabled(keyId, before.substring(DISABLED.length()), true));
    }
    // else another node's probe is out: asked again on a later pump
  }

  /** The key answered: proven for the whole cluster. */
  void proven(String keyId) {
    release(keyId);
    worker.execute(() -> map.set(keyId, PROVEN));
  }

  /** The provider refused the key: no node calls it again until an operator enables it. */
  void revoked(String keyId, String reason) {
    release(keyId);
    worker.execute(() -> map.set(keyId, DISABLED + reason));
  }

  /** The probe's call failed without proving anything: the register is freed for the next probe. */
  void ended(String keyId) {
    release(keyId);
    worker.execute(() -> map.remove(keyId, mine));
  }

  /** An operator enabled the key: unproven again, everywhere. */
  void reset(String keyId) {
    release(keyId);
    worker.execute(() -> map.delete(keyId));
  }

  private void release(String keyId) {
    Probe p = probes.get(keyId);
    if (p != null) p.hold = Hold.NONE;
  }
}
