package dev.argus.llm;

import dev.argus.config.LlmKeySpec;
import dev.argus.config.SelectionStrategy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The pool's side of cluster mode, against scripted hooks: budgets, probes and what it publishes. */
class ClusterHooksTest {
  private final long[] now = {9_000_000_000_000L};

  private KeyPool pool(LlmKeySpec... keys) {
    return new KeyPool(List.of(keys), new KeyPool.Settings(SelectionStrategy.LEAST_LOADED, 1_000, 8_000, 0.0, 4.0, 0, 0),
        () -> now[0], new Random(1));
  }

  static final class Scripted implements ClusterHooks {
    final List<SharedChange> published = new ArrayList<>();
    final List<String> declared = new ArrayList<>();
    boolean budget = true;
    boolean probe = true;
    int members = 1;
    int rank = 0;

    @Override
    public void declare(String name, io.github.bucket4j.BucketConfiguration config, double perSecond) {
      declared.add(name);
    }

    @Override
    public boolean holds(String name, long amount) {
      return budget;
    }

    @Override
    public boolean mayProbe(String keyId) {
      return probe;
    }

    @Override
    public int members() {
      return members;
    }

    @Override
    public int share(int total) {
      return ClusterHooks.split(total, members, rank);
    }

    @Override
    public void publish(SharedChange change) {
      published.add(change);
    }
  }

  private static LlmKeySpec key(String id, double qps) {
    return new LlmKeySpec(id, "sk-" + id + "-SECRETSECRET", 1, qps, 0, 1, null, null);
  }

  private static int takeAll(KeyPool p) {
    int n = 0;
    KeyPool.Lease l;
    while ((l = p.acquire(Set.of(), id -> true)) != null) {
      n++;
      p.succeeded(l);
    }
    return n;
  }

  @Test
  void declaredLimitsBecomeBudgetsAndAnEmptyBudgetHoldsTheKeyBack() {
    KeyPool p = pool(key("a", 10));
    Scripted hooks = new Scripted();
    p.attach(hooks);
    assertEquals(List.of("key:a:req"), hooks.declared);
    hooks.budget = false;
    assertNull(p.acquire(Set.of(), id -> true), "the cluster's budget is empty");
    assertEquals(KeyPool.PROBE_RECHECK_NANOS, p.nanosUntilAvailable(Set.of()), "asked again soon");
    hooks.budget = true;
    assertNotNull(p.acquire(Set.of(), id -> true));
  }

  @Test
  void anUnprovenKeyWaitsForTheClustersProbeAndItsAnswersArePublished() {
    KeyPool p = pool(key("a", 10), key("b", 10));
    Scripted hooks = new Scripted();
    p.attach(hooks);
    hooks.probe = false;
    assertNull(p.acquire(Set.of(), id -> true), "another node holds the probes");
    hooks.probe = true;
    KeyPool.Lease a = p.acquire(Set.of(), id -> true);
    KeyPool.Lease b = p.acquire(Set.of(), id -> true);
    p.succeeded(a);
    p.authFailed(b, "HTTP 401");
    assertTrue(hooks.published.contains(new SharedChange.Proven(a.id())));
    assertTrue(hooks.published.contains(new SharedChange.KeyDisabled(b.id(), "HTTP 401", true)));
  }

  @Test
  void aLearnedRateWithoutADeclaredLimitIsSplitAmongTheMembers() {
    KeyPool alone = pool(key("a", 0));
    assertEquals(4, takeAll(alone), "standalone: a burst of the start rate, 4");
    KeyPool shared = pool(key("a", 0));
    Scripted hooks = new Scripted();
    hooks.members = 2;
    shared.attach(hooks);
    assertEquals(2, takeAll(shared), "two members: each sends half");
  }

  @Test
  void aRateLearnedBelowTheDeclaredLimitIsSplitAmongTheMembersToo() {
    KeyPool p = pool(key("a", 10));
    Scripted hooks = new Scripted();
    hooks.members = 2;
    p.attach(hooks);
    assertEquals(10, takeAll(p), "at the declared limit the cluster's budget binds: the node's bucket holds it all");
    now[0] += 10_000_000_000L;
    p.refused(p.acquire(Set.of(), id -> true), RefusalKind.SLOW_DOWN, ProviderSignals.NONE);
    assertEquals(8.0, p.snapshot().get(0).effectiveQps(), 1e-9);
    now[0] += 10_000_000_000L;
    assertEquals(4, takeAll(p), "8 learned, two members: this node's share is 4, the budget still says 10");
  }

  @Test
  void anotherNodesDecisionsApplyWithoutBeingPublishedAgain() {
    KeyPool p = pool(key("a", 10));
    Scripted hooks = new Scripted();
    p.attach(hooks);
    p.apply(new SharedChange.KeyDisabled("a", "by an operator elsewhere", false));
    assertEquals(KeyPool.State.DISABLED, p.snapshot().get(0).state());
    p.apply(new SharedChange.KeyEnabled("a", "key:a"));
    assertEquals(KeyPool.State.PROBING, p.snapshot().get(0).state());
    assertTrue(hooks.published.isEmpty(), "applied, not published: " + hooks.published);
  }

  @Test
  void sharesOfACountAddUpToItAndDifferByAtMostOne() {
    for (int members = 1; members <= 5; members++) {
      for (int total = 0; total <= 20; total++) {
        int sum = 0;
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int rank = 0; rank < members; rank++) {
          int part = ClusterHooks.split(total, members, rank);
          sum += part;
          min = Math.min(min, part);
          max = Math.max(max, part);
        }
        assertEquals(total, sum, total + " among " + members);
        assertTrue(max - min <= 1, total + " among " + members);
      }
    }
  }

  @Test
  void aLearnedConcurrencyLimitIsTheClustersTotalAndEachNodeKeepsToItsShare() {
    KeyPool p = pool(key("a", 1_000)); // a rate far above these few calls
    Scripted hooks = new Scripted();
    hooks.members = 3;
    p.attach(hooks);
    p.succeeded(p.acquire(Set.of(), id -> true)); // proven
    List<KeyPool.Lease> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) held.add(p.acquire(Set.of(), id -> true));
    p.refused(held.remove(2), RefusalKind.CONCURRENCY, new ProviderSignals(ProviderSignals.Level.UNKNOWN,
        ProviderSignals.Level.UNKNOWN, null, RefusalKind.CONCURRENCY, -1));
    // three here, about as many on each of the two others: nine in flight were too many
    assertTrue(hooks.published.contains(new SharedChange.ConcurrencyLearned("a", 8)), hooks.published.toString());
    assertNotNull(p.acquire(Set.of(), id -> true), "the oldest member's share of eight is three");
    assertNull(p.acquire(Set.of(), id -> true), "a fourth would take another member's part");
    hooks.rank = 2;
    assertEquals(KeyPool.PROBE_RECHECK_NANOS, p.nanosUntilAvailable(Set.of()),
        "the youngest member's share is two, and three are in flight here");
  }
}
