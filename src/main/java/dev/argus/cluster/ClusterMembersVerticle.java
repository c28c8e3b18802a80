package dev.argus.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import dev.argus.backbone.Assignments;
import dev.argus.model.BusAddresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Publishes this node's member info (address, HTTP port, the partitions its consumers own) into a
 * cluster-wide map every second, reads the others' back as often, and answers {@link BusAddresses#INTERNAL_CLUSTER_VIEW} with the view of
 * all live members. Entries carry a TTL and are read against Hazelcast's live membership, so a killed
 * node disappears as soon as the cluster drops it. Standalone, the view is this node alone.
 */
public final class ClusterMembersVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ClusterMembersVerticle.class);
  static final String MAP = "argus.cluster.members";
  static final long REFRESH_MS = 1000;
  /** The member attribute in which vertx-hazelcast keeps Vert.x's node id. */
  public static final String VERTX_NODE_ID = "__vertx.nodeId";
  /** An entry outlives a missed refresh or two, not a dead node for long (the live filter is exact anyway). */
  static final long ENTRY_TTL_MS = 10_000;

  private final ClusterContext cluster;
  private final Assignments assignments;
  private final String host;
  private final int httpPort;
  private AsyncMap<String, JsonObject> members;
  private MessageConsumer<Object> viewRequests;
  private long timer = -1;
  private Map<String, JsonObject> lastPublished = Map.of();
  private boolean publishing;
  private boolean reading;

  public ClusterMembersVerticle(ClusterContext cluster, Assignments assignments, String host, int httpPort) {
    this.cluster = cluster;
    this.assignments = assignments;
    this.host = host;
    this.httpPort = httpPort;
  }

  @Override
  public Future<?> start() {
    viewRequests = vertx.eventBus().localConsumer(BusAddresses.INTERNAL_CLUSTER_VIEW,
        msg -> view().onSuccess(msg::reply).onFailure(err -> msg.fail(500, String.valueOf(err.getMessage()))));
    if (!cluster.enabled()) return Future.succeededFuture();
    return vertx.sharedData().<String, JsonObject>getAsyncMap(MAP).compose(m -> {
      members = m;
      timer = vertx.setPeriodic(REFRESH_MS, id -> refresh());
      return publishSelf().onSuccess(v -> refresh());
    });
  }

  JsonObject self() {
    JsonObject partitions = new JsonObject();
    assignments.byTopic().forEach((topic, parts) -> partitions.put(topic, parts));
    JsonObject groups = new JsonObject();
    assignments.byGroup().forEach((group, topics) -> {
      JsonObject g = new JsonObject();
      topics.forEach(g::put);
      groups.put(group, g);
    });
    return new JsonObject().put("id", cluster.nodeId()).put("host", host).put("http_port", httpPort)
        .put("partitions", partitions).put("groups", groups);
  }

  private Future<Void> publishSelf() {
    return members.put(cluster.nodeId(), self(), ENTRY_TTL_MS)
        .onFailure(err -> log.warn("could not publish this node's member info: {}", err.getMessage()));
  }

  /**
   * Publishes this node's entry and reads everyone's into {@link #lastPublished}. While Hazelcast
   * migrates a dead member's map partitions, map calls wait for seconds: one call of each kind at a
   * time, and the view answers from the last read meanwhile.
   */
  private void refresh() {
    if (!publishing) {
      publishing = true;
      publishSelf().onComplete(ar -> publishing = false);
    }
    if (!reading) {
      reading = true;
      members.entries().onSuccess(e -> lastPublished = new HashMap<>(e)).onComplete(ar -> reading = false);
    }
  }

  /** Answered from memory (never waits on the map): the last read entries, against the live membership now. */
  private Future<JsonObject> view() {
    if (!cluster.enabled()) return Future.succeededFuture(MembersView.standalone(self()));
    Map<String, String> live = liveMembers(cluster.hazelcast().orElseThrow());
    Map<String, JsonObject> published = new HashMap<>(lastPublished);
    published.put(cluster.nodeId(), self()); // this node's own, always current
    return Future.succeededFuture(MembersView.of(cluster.nodeId(), published, live));
  }

  /**
   * Hazelcast's member list is local knowledge (no remote call). Vert.x's node id is not the member's
   * UUID: the cluster manager keeps it in a member attribute.
   */
  static Map<String, String> liveMembers(HazelcastInstance hz) {
    Map<String, String> live = new LinkedHashMap<>();
    if (!hz.getLifecycleService().isRunning()) return live;
    for (Member m : hz.getCluster().getMembers()) {
      String id = m.getAttribute(VERTX_NODE_ID);
      live.put(id != null ? id : m.getUuid().toString(), m.getAddress().getHost());
    }
    return live;
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    Future<Void> unregistered = viewRequests == null ? Future.succeededFuture() : viewRequests.unregister();
    if (members == null) return unregistered;
    // A clean leave takes this node's entry out at once (a killed node's expires, and is filtered before that).
    return unregistered.compose(v -> members.remove(cluster.nodeId())).<Void>mapEmpty().otherwiseEmpty();
  }
}
