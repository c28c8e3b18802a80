package dev.argus.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /api/v1/cluster}'s answer from what the members published and who is alive now. A dead
 * member's entry is left out at once (its map entry only expires later); a live member that has not
 * published yet is listed with its address and no partitions.
 */
public final class MembersView {
  private MembersView() {}

  /**
   * @param self      this node's id
   * @param published member id → its published info ({@code id, host, http_port, partitions, groups})
   * @param live      member id → host, as the cluster's membership lists them now
   */
  public static JsonObject of(String self, Map<String, JsonObject> published, Map<String, String> live) {
    JsonArray members = new JsonArray();
    new TreeMap<>(live).forEach((id, host) -> {
      JsonObject info = published.get(id);
      members.add(info != null ? info.copy()
          : new JsonObject().put("id", id).put("host", host).putNull("http_port")
              .put("partitions", new JsonObject()).put("groups", new JsonObject()));
    });
    return new JsonObject().put("self", self).put("members", members);
  }

  /** A standalone node: itself, the whole system. */
  public static JsonObject standalone(JsonObject self) {
    return new JsonObject().put("self", self.getString("id")).put("members", new JsonArray().add(self));
  }

  /** The readiness check: joined (this node is among the live members) and how many there are. */
  public static JsonObject check(boolean clustered, JsonObject view) {
    String self = view.getString("self");
    JsonArray members = view.getJsonArray("members", new JsonArray());
    boolean joined = members.stream().anyMatch(m -> m instanceof JsonObject o && self.equals(o.getString("id")));
    return new JsonObject().put("status", joined ? "UP" : "DOWN").put("enabled", clustered).put("self", self)
        .put("joined", joined).put("members", members.size());
  }
}
