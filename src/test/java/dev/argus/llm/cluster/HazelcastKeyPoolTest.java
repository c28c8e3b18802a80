package dev.argus.llm.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.argus.config.LlmKeySpec;
import dev.argus.config.SelectionStrategy;
import dev.argus.it.Ports;
import dev.argus.llm.KeyPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Two key pools on two Hazelcast members in this JVM (TCP/IP join on 127.0.0.1, multicast off), each pool on its
 * own thread as a dispatcher's event loop would run it: the cluster together keeps each key's rate, and a
 * disable, a cooldown and a revoked key's one call are the cluster's, not a node's.
 */
class HazelcastKeyPoolTest {
  static HazelcastInstance a;
  static HazelcastInstance b;

  /** One node: a pool, the cluster hooks and the thread both live on. */
  static final class Node implements AutoCloseable {
    final ExecutorService thread = Executors.newSingleThreadExecutor();
    final KeyPool pool;
    final HazelcastKeyPool cluster;

    Node(HazelcastInstance hz, List<LlmKeySpec> keys) throws Exception {
      pool = new KeyPool(keys, new KeyPool.Settings(SelectionStrategy.LEAST_LOADED, 2_000, 8_000, 0.0, Double.NaN, 0, 0),
          System::nanoTime, new Random(1));
      // the member's UUID as its node id, as a member without vertx-hazelcast's node-id attribute is known
      cluster = new HazelcastKeyPool(hz, hz.getCluster().getLocalMember().getUuid().toString(), 10_000, thread,
          () -> {}, System::nanoTime);
      on(() -> {
        pool.attach(cluster);
        cluster.start(pool::apply);
        return null;
      });
    }

    <T> T on(Callable<T> c) throws Exception {
      return thread.submit(c).get(10, TimeUnit.SECONDS);
    }

    KeyPool.State state(String id) throws Exception {
      return on(() -> pool.snapshot().stream().filter(k -> k.id().equals(id)).findFirst().orElseThrow().state());
    }

    @Override
    public void close() throws Exception {
      on(() -> {
        cluster.close();
        return null;
      });
      thread.shutdownNow();
    }
  }

  @BeforeAll
  static void members() {
    int pa = Ports.free();
    int pb = Ports.free();
    String name = "argus-test-" + UUID.randomUUID();
    a = Hazelcast.newHazelcastInstance(config(name, pa, pa, pb));
    b = Hazelcast.newHazelcastInstance(config(name, pb, pa, pb));
    assertEquals(2, a.getCluster().getMembers().size(), "both members joined one cluster");
  }

  @AfterAll
  static void shutdown() {
    if (b != null) b.shutdown();
    if (a != null) a.shutdown();
  }

  /** Every test uses keys of its own, so the maps shared between tests do not mix them. */
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final List<Node> nodes = new ArrayList<>();

  @AfterEach
  void closeNodes() throws Exception {
    for (Node n : nodes) n.close();
  }

  static Config config(String clusterName, int port, int... members) {
    Config c = new Config().setClusterName(clusterName);
    c.setProperty("hazelcast.logging.type", "slf4j");
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.wait.seconds.before.join", "0");
    c.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
    c.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = c.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    for (int m : members) join.getTcpIpConfig().addMember("127.0.0.1:" + m);
    SharedPoolConfig.contribute(c);
    return c;
  }

  private List<LlmKeySpec> keys(LlmKeySpec... specs) {
    return List.of(specs);
  }

  private LlmKeySpec key(String id, double qps) {
    return new LlmKeySpec(id + "-" + run, "sk-" + id + "-SECRETSECRET", 1, qps, 0, 1, null, null);
  }

  private Node node(HazelcastInstance hz, List<LlmKeySpec> keys) throws Exception {
    Node n = new Node(hz, keys);
    nodes.add(n);
    return n;
  }

  /** Both nodes try to send on their threads every 2 ms for {@code millis}; a call succeeds at once. */
  private long[] hammer(long millis, Node... ns) throws Exception {
    long[] calls = new long[ns.length];
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    List<java.util.concurrent.Future<?>> loops = new ArrayList<>();
    for (int i = 0; i < ns.length; i++) {
      int idx = i;
      Node n = ns[i];
      loops.add(Executors.newSingleThreadExecutor().submit(() -> {
        while (System.nanoTime() - end < 0) {
          n.on(() -> {
            KeyPool.Lease l = n.pool.acquire(Set.of(), id -> true);
            if (l != null) {
              calls[idx]++;
              n.pool.succeeded(l);
            }
            return null;
          });
          Thread.sleep(2);
        }
        return null;
      }));
    }
    for (var f : loops) f.get(millis + 20_000, TimeUnit.MILLISECONDS);
    return calls;
  }

  @Test
  void twoPoolsTogetherAdmitNoMoreThanTheKeysRatePlusItsBurst() throws Exception {
    LlmKeySpec k = key("rate", 10);
    Node n1 = node(a, keys(k));
    Node n2 = node(b, keys(k));
    long window = 3_000;
    long[] calls = hammer(window, n1, n2);
    long total = calls[0] + calls[1];
    // 10/s for 3 s plus one second's burst (capacity 10), plus the first call each node probes with
    double max = 10 * window / 1000.0 + 10 + 2;
    System.out.printf("CLUSTER-POOL rate: node A %d, node B %d, together %d in %d ms (limit %.0f incl. burst)%n",
        calls[0], calls[1], total, window, max);
    assertTrue(total <= max, "together within the key's rate plus burst: " + total + " > " + max);
    assertTrue(calls[0] > 0 && calls[1] > 0, "both nodes got a share: " + calls[0] + " / " + calls[1]);
    assertTrue(total >= 0.7 * 10 * window / 1000.0, "the cluster still uses most of the rate: " + total);
  }

  @Test
  void disablingOnOneMemberStopsUseOnTheOther() throws Exception {
    LlmKeySpec k = key("switch", 1000);
    Node n1 = node(a, keys(k));
    Node n2 = node(b, keys(k));
    await("node B proves the key", () -> { hammerOnce(n2); return n2.state(k.id()) == KeyPool.State.ACTIVE; });
    n1.on(() -> n1.pool.disable(k.id(), "by an operator on node A"));
    await("node B sees the key disabled", () -> n2.state(k.id()) == KeyPool.State.DISABLED);
    assertNull(n2.on(() -> n2.pool.acquire(Set.of(), id -> true)), "node B hands the key out no more");
    n2.on(() -> n2.pool.enable(k.id()));
    await("node A sees it enabled again", () -> n1.state(k.id()) != KeyPool.State.DISABLED);
  }

  @Test
  void aRevokedKeyGetsExactlyOneCallAcrossTwoPools() throws Exception {
    LlmKeySpec k = key("revoked", 1000);
    Node n1 = node(a, keys(k));
    Node n2 = node(b, keys(k));
    AtomicLong calls = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (System.nanoTime() - end < 0) {
      for (Node n : List.of(n1, n2)) {
        n.on(() -> {
          KeyPool.Lease l = n.pool.acquire(Set.of(), id -> true);
          if (l != null) {
            calls.incrementAndGet();
            n.pool.authFailed(l, "HTTP 401");
          }
          return null;
        });
      }
      Thread.sleep(1);
    }
    assertEquals(1, calls.get(), "one call on the revoked key in the whole cluster");
    await("both nodes show it disabled", () -> n1.state(k.id()) == KeyPool.State.DISABLED
        && n2.state(k.id()) == KeyPool.State.DISABLED);
  }

  @Test
  void coolingOnOneMemberCoolsTheKeyOnTheOther() throws Exception {
    LlmKeySpec k = key("cool", 1000);
    Node n1 = node(a, keys(k));
    Node n2 = node(b, keys(k));
    await("node A proves the key", () -> { hammerOnce(n1); return n1.state(k.id()) == KeyPool.State.ACTIVE; });
    n1.on(() -> {
      KeyPool.Lease l = n1.pool.acquire(Set.of(), id -> true);
      n1.pool.rateLimited(l, 30_000L);
      return null;
    });
    assertEquals(KeyPool.State.COOLING, n1.state(k.id()));
    await("node B cools the key too", () -> n2.state(k.id()) == KeyPool.State.COOLING);
    assertNull(n2.on(() -> n2.pool.acquire(Set.of(), id -> true)), "node B does not call a cooling key");
    long untilB = n2.on(() -> n2.pool.snapshot().get(0).cooldownUntilMs());
    long untilA = n1.on(() -> n1.pool.snapshot().get(0).cooldownUntilMs());
    assertEquals(untilA, untilB, 2, "node B cools until node A's deadline, not one of its own");
  }

  private static void hammerOnce(Node n) throws Exception {
    n.on(() -> {
      KeyPool.Lease l = n.pool.acquire(Set.of(), id -> true);
      if (l != null) n.pool.succeeded(l);
      return null;
    });
  }

  @Test
  void onlyMembersThatRunAPoolShareItsLimitsAndTheOldestOfThemSpeaksForIt() throws Exception {
    Node na = node(a, keys(key("k", 10)));
    assertEquals(1, na.on(na.cluster::members), "b runs no pool (an ingest-only node): it takes no share");
    assertEquals(5, na.on(() -> na.cluster.share(5)));
    assertTrue(na.on(na.cluster::leader));
    Node nb = node(b, keys(key("k", 10)));
    assertEquals(5, nb.on(() -> nb.cluster.share(5)), "b sees no other pool yet: a has not published its counters");
    na.cluster.publishSnapshot(new io.vertx.core.json.JsonObject()); // what a dispatching node does every second
    nb.cluster.publishSnapshot(new io.vertx.core.json.JsonObject());
    await("each sees the other's pool", () -> na.on(na.cluster::members) == 2 && nb.on(nb.cluster::members) == 2);
    assertEquals(3, na.on(() -> na.cluster.share(5)), "the older member gets the remainder");
    assertEquals(2, nb.on(() -> nb.cluster.share(5)));
    assertTrue(na.on(na.cluster::leader));
    assertFalse(nb.on(nb.cluster::leader), "one member speaks for the pool");
  }

  private static void await(String what, Callable<Boolean> cond) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!cond.call()) {
      if (System.nanoTime() - deadline > 0) fail("timed out waiting until " + what);
      Thread.sleep(20);
    }
  }
}
