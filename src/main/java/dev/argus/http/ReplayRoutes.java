package dev.argus.http;

import dev.argus.model.BusAddresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.function.Predicate;

/**
 * {@code POST /api/v1/replay} (admin only: the key-admin check) answers 202 {@code {"replay_id"}};
 * {@code GET /api/v1/replay/{id}} its progress. The replay verticle answers on the local event bus.
 */
final class ReplayRoutes {
  private static final long TIMEOUT_MS = 5000;
  private static final int BODY_LIMIT = 4096;

  private final Vertx vertx;
  private final Predicate<RoutingContext> adminAllowed;
  private final Replies replies;

  ReplayRoutes(Vertx vertx, Predicate<RoutingContext> adminAllowed, Replies replies) {
    this.vertx = vertx;
    this.adminAllowed = adminAllowed;
    this.replies = replies;
  }

  void mount(Router router) {
    router.post("/api/v1/replay").handler(BodyHandler.create().setBodyLimit(BODY_LIMIT)).handler(this::start);
    router.get("/api/v1/replay/:id").handler(ctx -> ask(ctx, new JsonObject().put("action", "status")
        .put("id", ctx.pathParam("id")), 200));
  }

  private void start(RoutingContext ctx) {
    if (!adminAllowed.test(ctx)) { // the check answered the refusal (401 or 403)
      return;
    }
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      body = null;
    }
    ask(ctx, new JsonObject().put("action", "start").put("request", body), 202);
  }

  private void ask(RoutingContext ctx, JsonObject command, int okStatus) {
    vertx.eventBus().<JsonObject>request(BusAddresses.INTERNAL_REPLAY, command,
        new DeliveryOptions().setSendTimeout(TIMEOUT_MS).setLocalOnly(true)).onComplete(ar -> {
      if (ar.succeeded()) {
        replies.json(ctx, okStatus, ar.result().body());
      } else if (ar.cause() instanceof ReplyException re && re.failureCode() == 400) {
        replies.error(ctx, ErrorCode.VALIDATION_FAILED, re.getMessage());
      } else if (ar.cause() instanceof ReplyException re && re.failureCode() == 404) {
        replies.error(ctx, ErrorCode.NOT_FOUND, re.getMessage());
      } else if (ar.cause() instanceof ReplyException re && re.failureCode() == 409) {
        replies.error(ctx, ErrorCode.FORBIDDEN, re.getMessage());
      } else {
        replies.error(ctx, ErrorCode.OVERLOADED, "the replay verticle did not answer: " + ar.cause().getMessage());
      }
    });
  }
}
