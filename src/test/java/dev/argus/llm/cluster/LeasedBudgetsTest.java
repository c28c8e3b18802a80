package dev.argus.llm.cluster;

import io.github.bucket4j.BucketConfiguration;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.*;

/** Leases against a scripted cluster on a fake clock: asks, late answers, a silent cluster's local share, debts. */
class LeasedBudgetsTest {
  private static final long MS = 1_000_000L;
  private final long[] now = {7_000_000_000_000L};
  private final List<CompletableFuture<Long>> asks = new ArrayList<>();
  private final List<Long> asked = new ArrayList<>();
  private long repaid;
  private long givenBack;
  private int wakes;

  private final LeasedBudgets.Remote remote = new LeasedBudgets.Remote() {
    @Override
    public CompletionStage<Long> take(String budget, BucketConfiguration config, long max) {
      CompletableFuture<Long> f = new CompletableFuture<>();
      asks.add(f);
      asked.add(max);
      return f;
    }

    @Override
    public CompletionStage<?> repay(String budget, BucketConfiguration config, long amount) {
      repaid += amount;
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<?> giveBack(String budget, BucketConfiguration config, long amount) {
      givenBack += amount;
      return CompletableFuture.completedFuture(null);
    }
  };

  private LeasedBudgets budgets(int members) {
    LeasedBudgets b = new LeasedBudgets(remote, Runnable::run, () -> wakes++, () -> now[0], () -> members);
    BucketConfiguration c = BucketConfiguration.builder()
        .addLimit(l -> l.capacity(100).refillGreedy(100, Duration.ofSeconds(1))).build();
    b.declare("k:req", c, 100);
    return b;
  }

  @Test
  void asksForATenthOfASecondOnceAndSpendsItLocally() {
    LeasedBudgets b = budgets(2);
    assertFalse(b.holds("k:req", 1), "nothing leased yet");
    assertFalse(b.holds("k:req", 1), "one request at a time");
    assertEquals(List.of(10L), asked, "a lease of 0.1 s at 100/s");
    asks.get(0).complete(10L);
    assertEquals(1, wakes, "the pool is woken when permits arrive");
    for (int i = 0; i < 10; i++) {
      assertTrue(b.holds("k:req", 1));
      b.spend("k:req", 1);
    }
    assertEquals(1, asks.size(), "ten calls, one remote request");
    assertFalse(b.holds("k:req", 1), "the lease is spent");
  }

  @Test
  void leasedPermitsExpireAndLateOnesGoBack() {
    LeasedBudgets b = budgets(2);
    b.holds("k:req", 1);
    now[0] += 600 * MS; // the answer waited longer than a lease lives
    asks.get(0).complete(10L);
    assertEquals(10, givenBack, "late permits go back to the cluster");
    assertFalse(b.holds("k:req", 1));
    asks.get(1).complete(10L);
    assertTrue(b.holds("k:req", 1));
    now[0] += 501 * MS;
    assertFalse(b.holds("k:req", 1), "unspent permits expire");
  }

  @Test
  void aSilentClusterDegradesToTheLocalShareAndTheDebtIsPaidLater() {
    LeasedBudgets b = budgets(4);
    assertFalse(b.holds("k:req", 1));
    now[0] += 1_000 * MS;
    assertFalse(b.holds("k:req", 1), "a slow answer is waited for a while");
    now[0] += 1_000 * MS;
    int spent = 0;
    while (b.holds("k:req", 1)) {
      b.spend("k:req", 1);
      spent++;
    }
    assertTrue(b.degraded("k:req"));
    assertEquals(25, spent, "the local share's burst: 100/s ÷ 4 members");
    now[0] += 200 * MS;
    int more = 0;
    while (b.holds("k:req", 1)) {
      b.spend("k:req", 1);
      more++;
    }
    assertEquals(5, more, "then its rate: 25/s");
    asks.get(0).complete(10L); // the cluster answers at last (late: its permits pay the debt, none are spent)
    assertFalse(b.degraded("k:req"));
    assertEquals(20, repaid, "what the permits could not pay is taken from the cluster's bucket");
    assertEquals(0, givenBack);
  }
}
