package dev.argus.http;

import dev.argus.model.BusAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** {@code GET /api/v1/cluster}: the members and the partitions each one owns (on every node, any role). */
final class ClusterRoutes {
  /** The view is answered from this node's memory and one map read; it must not hang a client. */
  static final long VIEW_TIMEOUT_MS = 2000;

  private final Vertx vertx;
  private final Replies replies;

  ClusterRoutes(Vertx vertx, Replies replies) {
    this.vertx = vertx;
    this.replies = replies;
  }

  void mount(Router router) {
    router.get("/api/v1/cluster").handler(ctx -> view(vertx)
        .onSuccess(v -> replies.json(ctx, 200, v))
        .onFailure(err -> replies.error(ctx, ErrorCode.INTERNAL_ERROR, "the cluster view did not answer: " + err.getMessage())));
  }

  /** This node's view of the cluster, asked of its own {@code ClusterMembersVerticle}. */
  static Future<JsonObject> view(Vertx vertx) {
    return vertx.eventBus().<JsonObject>request(BusAddresses.INTERNAL_CLUSTER_VIEW, null,
        new DeliveryOptions().setSendTimeout(VIEW_TIMEOUT_MS).setLocalOnly(true)).map(Message::body);
  }
}
