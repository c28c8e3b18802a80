package dev.argus.llm.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.MapEvent;
import com.hazelcast.replicatedmap.ReplicatedMap;
import dev.argus.cluster.ClusterMembersVerticle;
import dev.argus.llm.ClusterHooks;
import dev.argus.llm.SharedChange;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.grid.hazelcast.Bucket4jHazelcast;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One node's side of the cluster-wide key pool, on the cluster's own Hazelcast: the declared limits are
 * Bucket4j buckets in a Hazelcast map ({@link LeasedBudgets} spends them in leases), unproven keys take the
 * cluster's one probe ({@link ProbeRegister}), and every decision of the pool (disabled, enabled, cooling,
 * learned rate and concurrency, open breaker) goes into a replicated state map whose listener applies it on every
 * node. A node that joins later applies what the map holds before it takes a call. Each node also keeps its
 * counters there (a snapshot with a short time to live) for the cluster's view of the pool.
 *
 * <p>Nothing here blocks the pool's thread: Bucket4j is asked asynchronously, the maps are written on a worker
 * thread of this class, replicated reads are local, and every answer comes back through {@code owner}.
 */
public final class HazelcastKeyPool implements ClusterHooks, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HazelcastKeyPool.class);
  /** A learned rate is published at most this often per account (a success may raise it on every call). */
  static final long RATE_PUBLISH_NANOS = 500_000_000L;
  static final long SNAPSHOT_TTL_SECONDS = 5;
  private static final String NODE_PREFIX = "node:";

  private final HazelcastInstance hz;
  private final String nodeId;
  private final java.util.concurrent.Executor owner;
  private final LongSupplier nanos;
  private final ExecutorService worker;
  private final ReplicatedMap<String, String> state;
  private final LeasedBudgets budgets;
  private final ProbeRegister probes;
  private final AsyncProxyManager<String> buckets;
  private final Map<String, AsyncBucketProxy> proxies = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Long> ratePublishedAt = new HashMap<>();
  private final Map<String, SharedChange.RateLearned> ratePending = new HashMap<>();
  private Consumer<SharedChange> apply = c -> {};
  private UUID listener;

  /**
   * @param probeTtlMs how long a silent node's probe blocks a key (longer than a call may take)
   * @param owner      runs everything the pool must see on the pool's thread
   * @param wake       called on the pool's thread when permits or a probe arrived
   */
  public HazelcastKeyPool(HazelcastInstance hz, String nodeId, long probeTtlMs, java.util.concurrent.Executor owner,
                          Runnable wake, LongSupplier nanos) {
    this.hz = hz;
    this.nodeId = nodeId;
    this.owner = owner;
    this.nanos = nanos;
    this.worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "argus-keypool-cluster");
      t.setDaemon(true);
      return t;
    });
    this.state = hz.getReplicatedMap(SharedPoolConfig.STATE_MAP);
    this.buckets = Bucket4jHazelcast.entryProcessorBasedBuilder(hz.<String, byte[]>getMap(SharedPoolConfig.BUCKETS_MAP))
        .build().asAsync();
    this.budgets = new LeasedBudgets(new LeasedBudgets.Remote() {
      @Override
      public CompletableFuture<Long> take(String budget, BucketConfiguration config, long max) {
        return proxy(budget, config).tryConsumeAsMuchAsPossible(max);
      }

      @Override
      public CompletableFuture<?> repay(String budget, BucketConfiguration config, long amount) {
        return proxy(budget, config).consumeIgnoringRateLimits(amount);
      }

      @Override
      public CompletableFuture<?> giveBack(String budget, BucketConfiguration config, long amount) {
        return proxy(budget, config).addTokens(amount);
      }
    }, owner, wake, nanos, this::members);
    this.probes = new ProbeRegister(hz.getMap(SharedPoolConfig.PROBES_MAP), nodeId, probeTtlMs, worker, owner, wake,
        c -> this.apply.accept(c), nanos);
  }

  /**
   * Applies what the cluster already decided (through {@code apply}, on the caller's thread: call it on the
   * pool's thread before the first acquire), then listens for what it decides next.
   */
  public void start(Consumer<SharedChange> apply) {
    this.apply = apply;
    for (Map.Entry<String, String> e : state.entrySet()) {
      if (e.getKey().startsWith(NODE_PREFIX)) continue;
      SharedChange c = SharedChangeCodec.decode(e.getValue());
      if (c != null) apply.accept(c);
    }
    listener = state.addEntryListener(new EntryListener<>() {
      @Override
      public void entryAdded(EntryEvent<String, String> event) {
        changed(event);
      }

      @Override
      public void entryUpdated(EntryEvent<String, String> event) {
        changed(event);
      }

      @Override
      public void entryRemoved(EntryEvent<String, String> event) {}

      @Override
      public void entryEvicted(EntryEvent<String, String> event) {}

      @Override
      public void entryExpired(EntryEvent<String, String> event) {}

      @Override
      public void mapCleared(MapEvent event) {}

      @Override
      public void mapEvicted(MapEvent event) {}
    });
  }

  private void changed(EntryEvent<String, String> event) {
    if (event.getKey().startsWith(NODE_PREFIX) || event.getValue() == null) return;
    // This node applied its own decisions when it made them; an echo could only undo a newer one.
    if (nodeId.equals(SharedChangeCodec.node(event.getValue()))) return;
    SharedChange c = SharedChangeCodec.decode(event.getValue());
    if (c != null) owner.execute(() -> apply.accept(c));
  }

  public String nodeId() {
    return nodeId;
  }

  /**
   * The members that dispatch LLM calls, in join order (which every member sees the same): those whose pool
   * snapshot is in the shared map (it lives {@value #SNAPSHOT_TTL_SECONDS} s and is renewed every second), and
   * this node always. A node without the llm role (ARGUS_ROLES) is a Hazelcast member too, but spends none of
   * the pool: counting it would leave its share of a learned rate or concurrency limit unused, and as the
   * oldest member it would speak for a pool it does not run.
   */
  List<Boolean> dispatchers() {
    List<Boolean> out = new ArrayList<>(); // true: this node
    for (Member m : hz.getCluster().getMembers()) {
      String id = m.getAttribute(ClusterMembersVerticle.VERTX_NODE_ID);
      if (id == null) id = m.getUuid().toString();
      if (m.localMember() || state.containsKey(NODE_PREFIX + id)) out.add(m.localMember());
    }
    if (!out.contains(true)) out.add(true);
    return out;
  }

  @Override
  public int members() {
    try {
      return dispatchers().size();
    } catch (RuntimeException e) {
      return 1;
    }
  }

  /**
   * Split by the dispatching members' join order: the oldest get the remainder, so the parts add up to
   * {@code total} exactly.
   */
  @Override
  public int share(int total) {
    try {
      List<Boolean> d = dispatchers();
      return ClusterHooks.split(total, d.size(), d.indexOf(true));
    } catch (RuntimeException e) {
      return total;
    }
  }

  /** The oldest dispatching member speaks for the cluster (the dashboard's one view of the pool). */
  public boolean leader() {
    try {
      return dispatchers().get(0);
    } catch (RuntimeException e) {
      return true;
    }
  }

  // ------------------------------------------------------------------ ClusterHooks

  @Override
  public void declare(String budget, BucketConfiguration config, double perSecond) {
    budgets.declare(budget, config, perSecond);
  }

  @Override
  public boolean holds(String budget, long amount) {
    return budgets.holds(budget, amount);
  }

  @Override
  public void spend(String budget, long amount) {
    budgets.spend(budget, amount);
  }

  @Override
  public void refund(String budget, long amount) {
    budgets.refund(budget, amount);
  }

  @Override
  public boolean mayProbe(String keyId) {
    return probes.mayProbe(keyId);
  }

  @Override
  public void probeSent(String keyId) {
    probes.sent(keyId);
  }

  @Override
  public void publish(SharedChange change) {
    if (change instanceof SharedChange.Proven p) {
      probes.proven(p.keyId());
      return;
    }
    if (change instanceof SharedChange.ProbeEnded p) {
      probes.ended(p.keyId());
      return;
    }
    if (change instanceof SharedChange.KeyDisabled d && d.revoked()) probes.revoked(d.keyId(), d.reason());
    if (change instanceof SharedChange.KeyEnabled e) {
      probes.reset(e.keyId());
      // A node that joins later must not find the account still disabled or cooling from before the enable.
      put("acct:" + e.accountId() + ":disabled", change);
      put("acct:" + e.accountId() + ":cool", new SharedChange.AccountCooling(e.accountId(), 0, null));
    }
    if (change instanceof SharedChange.RateLearned r) {
      long now = nanos.getAsLong();
      Long last = ratePublishedAt.get(r.accountId());
      if (last != null && now - last < RATE_PUBLISH_NANOS) {
        ratePending.put(r.accountId(), r);
        return;
      }
      ratePublishedAt.put(r.accountId(), now);
      ratePending.remove(r.accountId());
    }
    put(SharedChangeCodec.entry(change), change);
  }

  /** Publishes learned rates held back by the rate limit on publishing; the owner calls it about once a second. */
  public void flush() {
    for (SharedChange.RateLearned r : List.copyOf(ratePending.values())) {
      ratePending.remove(r.accountId());
      ratePublishedAt.put(r.accountId(), nanos.getAsLong());
      put(SharedChangeCodec.entry(r), r);
    }
  }

  private void put(String entry, SharedChange change) {
    if (entry == null) return;
    String text = SharedChangeCodec.encode(change, nodeId);
    worker.execute(() -> {
      try {
        state.put(entry, text);
      } catch (RuntimeException e) {
        log.warn("could not share {} with the cluster: {}", entry, e.toString());
      }
    });
  }

  // ------------------------------------------------------------------ the cluster's view

  /** This node's counters for the others' view, kept {@value #SNAPSHOT_TTL_SECONDS} s unless renewed. */
  public void publishSnapshot(JsonObject snapshot) {
    String text = snapshot.copy().put("node", nodeId).encode();
    worker.execute(() -> {
      try {
        state.put(NODE_PREFIX + nodeId, text, SNAPSHOT_TTL_SECONDS, TimeUnit.SECONDS);
      } catch (RuntimeException e) {
        log.debug("could not share this node's key counters: {}", e.toString());
      }
    });
  }

  /** The other nodes' latest snapshots (local reads of the replicated map). */
  public List<JsonObject> otherSnapshots() {
    List<JsonObject> out = new ArrayList<>();
    for (Map.Entry<String, String> e : state.entrySet()) {
      if (!e.getKey().startsWith(NODE_PREFIX) || e.getKey().equals(NODE_PREFIX + nodeId)) continue;
      try {
        out.add(new JsonObject(e.getValue()));
      } catch (RuntimeException ignored) {
        // not a snapshot
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ budgets on Bucket4j

  private AsyncBucketProxy proxy(String budget, BucketConfiguration config) {
    return proxies.computeIfAbsent(budget, b -> buckets.builder().build(b, () -> CompletableFuture.completedFuture(config)));
  }

  public boolean degraded(String budget) {
    return budgets.degraded(budget);
  }

  /** Stops listening and withdraws this node's counters, on the worker: both may wait on the cluster. */
  @Override
  public void close() {
    UUID id = listener;
    worker.execute(() -> {
      try {
        if (id != null) state.removeEntryListener(id);
        state.remove(NODE_PREFIX + nodeId);
      } catch (RuntimeException e) {
        log.debug("key pool not withdrawn from the cluster: {}", e.toString());
      }
    });
    worker.shutdown();
  }
}
