package dev.argus.http;

import dev.argus.aggregate.Page;
import dev.argus.aggregate.ResultStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The read API over the result store: cameras, one camera, its history, alerts. Parameters are
 * checked first ({@link ReadQuery}), so every failure left is the store's: 503 {@code store_unavailable}.
 */
final class ReadRoutes {
  private final ResultStore store;
  private final Replies replies;

  ReadRoutes(ResultStore store, Replies replies) {
    this.store = store;
    this.replies = replies;
  }

  void mount(Router router) {
    router.get("/api/v1/cameras").handler(this::cameras);
    router.get("/api/v1/cameras/:id/history").handler(this::history);
    router.get("/api/v1/alerts").handler(this::alerts);
    router.get("/api/v1/cameras/:id").handler(this::camera);
  }

  private void cameras(RoutingContext ctx) {
    store.cameras().onComplete(ar -> {
      if (ar.failed()) storeDown(ctx, ar.cause());
      else replies.json(ctx, 200, new JsonObject().put("cameras", new JsonArray(ar.result())).put("count", ar.result().size()));
    });
  }

  private void camera(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    store.camera(id).onComplete(ar -> {
      if (ar.failed()) storeDown(ctx, ar.cause());
      else if (ar.result() == null) unknownCamera(ctx, id);
      else replies.json(ctx, 200, ar.result());
    });
  }

  private void history(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    ReadQuery.History q;
    try {
      q = ReadQuery.history(ctx.request()::getParam);
    } catch (ReadQuery.Invalid e) {
      replies.error(ctx, ErrorCode.VALIDATION_FAILED, e.getMessage());
      return;
    }
    store.camera(id)
        .compose(cam -> cam == null ? Future.<Page>succeededFuture() : store.history(id, q.limit(), q.before()))
        .onComplete(ar -> {
          if (ar.failed()) storeDown(ctx, ar.cause());
          else if (ar.result() == null) unknownCamera(ctx, id);
          else replies.json(ctx, 200, ar.result().toJson().put("camera_id", id));
        });
  }

  private void alerts(RoutingContext ctx) {
    ReadQuery.Alerts q;
    try {
      q = ReadQuery.alerts(ctx.request()::getParam);
    } catch (ReadQuery.Invalid e) {
      replies.error(ctx, ErrorCode.VALIDATION_FAILED, e.getMessage());
      return;
    }
    store.alerts(q.status(), q.sinceMs(), q.limit(), q.cursor()).onComplete(ar -> {
      if (ar.failed()) storeDown(ctx, ar.cause());
      else replies.json(ctx, 200, ar.result().toJson());
    });
  }

  private void unknownCamera(RoutingContext ctx, String id) {
    replies.error(ctx, ErrorCode.NOT_FOUND, "no assessment for camera '" + id + "' yet");
  }

  private void storeDown(RoutingContext ctx, Throwable err) {
    replies.error(ctx, ErrorCode.STORE_UNAVAILABLE, "the result store is unavailable: " + err.getMessage());
  }
}
