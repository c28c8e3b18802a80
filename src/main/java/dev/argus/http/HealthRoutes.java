package dev.argus.http;

import dev.argus.aggregate.ResultStore;
import dev.argus.backbone.Backbone;
import dev.argus.cluster.MembersView;
import dev.argus.model.BusAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.function.BooleanSupplier;

/** {@code /health} (liveness: the process answers) and {@code /health/ready} (see {@link Readiness}). */
final class HealthRoutes {
  /** A check that does not answer by then counts as down; readiness probes must not hang. */
  private static final long CHECK_TIMEOUT_MS = 2000;

  private final Vertx vertx;
  private final Backbone backbone;
  private final ResultStore store;
  private final BooleanSupplier draining;
  private final Replies replies;
  private final boolean clustered;
  private final boolean llmOnThisNode;

  HealthRoutes(Vertx vertx, Backbone backbone, ResultStore store, BooleanSupplier draining, Replies replies) {
    this(vertx, backbone, store, draining, replies, false, true);
  }

  /** {@code llmOnThisNode}: this node runs the LLM dispatcher ({@code node.roles} has {@code llm}). */
  HealthRoutes(Vertx vertx, Backbone backbone, ResultStore store, BooleanSupplier draining, Replies replies,
               boolean clustered, boolean llmOnThisNode) {
    this.clustered = clustered;
    this.llmOnThisNode = llmOnThisNode;
    this.vertx = vertx;
    this.backbone = backbone;
    this.store = store;
    this.draining = draining;
    this.replies = replies;
  }

  void mount(Router router) {
    router.get("/health").handler(ctx -> replies.json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::ready);
  }

  private void ready(RoutingContext ctx) {
    Future<JsonObject> llm = !llmOnThisNode
        ? Future.succeededFuture(new JsonObject().put("status", Readiness.NOT_ON_THIS_NODE)
            .put("note", "node.roles has no llm: the LLM dispatcher runs on other nodes"))
        : vertx.eventBus().<JsonObject>request(BusAddresses.INTERNAL_LLM_STATUS, null,
                new DeliveryOptions().setSendTimeout(CHECK_TIMEOUT_MS).setLocalOnly(true))
            .map(Message::body)
            .otherwise(err -> down("dispatcher not answering"));
    Future<JsonObject> kafka = backbone.health().otherwise(err -> down(err.getMessage()));
    Future<JsonObject> st = store.health().otherwise(err -> down(err.getMessage()));
    Future<JsonObject> cluster = ClusterRoutes.view(vertx).map(v -> MembersView.check(clustered, v))
        .otherwise(err -> down("cluster view not answering"));
    Future.join(kafka, st, llm, cluster).onComplete(ar -> {
      JsonObject backboneCheck = kafka.result().put("consumer_lag", backbone.lag().snapshot());
      Readiness.Verdict verdict = Readiness.judge(backboneCheck, st.result(), llm.result(), cluster.result(),
          draining.getAsBoolean());
      replies.json(ctx, verdict.httpStatus(), verdict.toJson());
    });
  }

  private static JsonObject down(String error) {
    return new JsonObject().put("status", "DOWN").put("error", error);
  }
}
