package dev.argus.http;

import dev.argus.model.BusAddresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * {@code GET /api/v1/demo/score}: the demo's alerts scored against its script (precision, recall,
 * time to alert). The demo answers on the local bus; without the demo nothing answers: 404.
 */
final class DemoRoutes {
  private static final long TIMEOUT_MS = 5000;

  private final Vertx vertx;
  private final boolean demo;
  private final Replies replies;

  DemoRoutes(Vertx vertx, boolean demo, Replies replies) {
    this.vertx = vertx;
    this.demo = demo;
    this.replies = replies;
  }

  void mount(Router router) {
    router.get("/api/v1/demo/score").handler(ctx -> {
      if (!demo) {
        replies.error(ctx, ErrorCode.NOT_FOUND, "the demo is not running: start the gateway with --demo");
        return;
      }
      vertx.eventBus().<JsonObject>request(BusAddresses.INTERNAL_DEMO_SCORE, null,
          new DeliveryOptions().setSendTimeout(TIMEOUT_MS).setLocalOnly(true)).onComplete(ar -> {
        if (ar.succeeded()) replies.json(ctx, 200, ar.result().body());
        else replies.error(ctx, ErrorCode.NOT_FOUND, "the demo's score is not available on this node");
      });
    });
  }
}
