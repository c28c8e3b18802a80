package dev.argus.llm.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The key pool as the whole cluster sees it, from this node's view and the other nodes' snapshots.
 *
 * <p>States, reasons, cooldowns, learned rates and concurrency limits are the cluster's already (every node
 * applies every shared decision), so they come from this node's view; a key this node has not used yet shows
 * {@code active} once any node proved it. Counters are per node and are summed: {@code in_flight} and
 * {@code sent_last_second} of keys and accounts, and the stage's {@code in_flight} and {@code queue_depth};
 * {@code utilisation} is recomputed from the sums. Additions to the node's shape: each key's {@code nodes}
 * ({@code node}, {@code state}, {@code in_flight}, {@code success_rate} per node) and a top-level
 * {@code cluster} ({@code self}, {@code nodes}). Snapshots older than {@link #STALE_MS} are left out.
 */
public final class ClusterView {
  static final long STALE_MS = 5_000;

  private ClusterView() {}

  public static JsonObject merge(JsonObject local, List<JsonObject> others, String self, long nowMs) {
    List<JsonObject> fresh = new ArrayList<>();
    for (JsonObject o : others) if (nowMs - o.getLong("at", 0L) <= STALE_MS) fresh.add(o);
    JsonObject out = local.copy();
    JsonArray nodeIds = new JsonArray().add(self);
    for (JsonObject o : fresh) nodeIds.add(o.getString("node"));

    for (Object ko : out.getJsonArray("keys", new JsonArray())) {
      JsonObject k = (JsonObject) ko;
      String id = k.getString("id");
      JsonArray perNode = new JsonArray().add(nodeEntry(self, k));
      int inFlight = k.getInteger("in_flight", 0);
      boolean provenElsewhere = false;
      for (JsonObject o : fresh) {
        JsonObject ok = find(o.getJsonArray("keys"), "id", id);
        if (ok == null) continue;
        perNode.add(nodeEntry(o.getString("node"), ok));
        inFlight += ok.getInteger("in_flight", 0);
        provenElsewhere |= "active".equals(ok.getString("state"));
      }
      if ("probing".equals(k.getString("state")) && provenElsewhere) k.put("state", "active").put("reason", null);
      k.put("in_flight", inFlight).put("nodes", perNode);
    }

    double sent = 0;
    for (Object ao : out.getJsonArray("accounts", new JsonArray())) {
      JsonObject a = (JsonObject) ao;
      double s = a.getDouble("sent_last_second", 0.0);
      int inFlight = a.getInteger("in_flight", 0);
      for (JsonObject o : fresh) {
        JsonObject oa = find(o.getJsonArray("accounts"), "account", a.getString("account"));
        if (oa == null) continue;
        s += oa.getDouble("sent_last_second", 0.0);
        inFlight += oa.getInteger("in_flight", 0);
      }
      a.put("sent_last_second", s).put("in_flight", inFlight);
      if (a.getInteger("usable_keys", 0) > 0) sent += s;
    }

    int inFlight = out.getInteger("in_flight", 0);
    int queued = out.getInteger("queue_depth", 0);
    for (JsonObject o : fresh) {
      inFlight += o.getInteger("in_flight", 0);
      queued += o.getInteger("queue_depth", 0);
    }
    out.put("in_flight", inFlight).put("queue_depth", queued);
    Double capacity = out.getDouble("capacity_qps");
    if (capacity != null && capacity > 0) out.put("utilisation", Math.round(sent / capacity * 1000) / 1000.0);
    return out.put("cluster", new JsonObject().put("self", self).put("nodes", nodeIds));
  }

  private static JsonObject nodeEntry(String node, JsonObject key) {
    return new JsonObject().put("node", node).put("state", key.getString("state"))
        .put("in_flight", key.getInteger("in_flight", 0)).put("success_rate", key.getValue("success_rate"));
  }

  private static JsonObject find(JsonArray list, String field, String value) {
    if (list == null || value == null) return null;
    for (Object o : list) if (o instanceof JsonObject j && value.equals(j.getString(field))) return j;
    return null;
  }
}
