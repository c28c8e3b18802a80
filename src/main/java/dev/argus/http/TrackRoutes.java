package dev.argus.http;

import dev.argus.aggregate.TrackStore;
import dev.argus.config.RuleBook;
import dev.argus.config.Zone;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/v1/cameras/{id}/tracks?since&limit}: a camera's recent track paths (newest
 * {@code limit} positions, default 500, at most 5000, none older than {@code since}), with the camera's
 * zones and the prediction horizon, so a viewer can draw where each object is heading. A camera with no
 * tracked objects has no tracks: 200 with an empty list, not 404.
 */
final class TrackRoutes {
  static final int DEFAULT_LIMIT = 500;
  static final int MAX_LIMIT = 5000;

  private final TrackStore tracks;
  private final RuleBook rules;
  private final long predictHorizonMs;
  private final Replies replies;

  TrackRoutes(TrackStore tracks, RuleBook rules, long predictHorizonMs, Replies replies) {
    this.tracks = tracks;
    this.rules = rules;
    this.predictHorizonMs = predictHorizonMs;
    this.replies = replies;
  }

  void mount(Router router) {
    router.get("/api/v1/cameras/:id/tracks").handler(this::tracks);
  }

  private void tracks(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    int limit;
    Long since;
    try {
      limit = limit(ctx.request().getParam("limit"));
      since = ReadQuery.since(ctx.request().getParam("since"));
    } catch (ReadQuery.Invalid e) {
      replies.error(ctx, ErrorCode.VALIDATION_FAILED, e.getMessage());
      return;
    }
    tracks.recent(id, since == null ? 0 : since, limit).onComplete(ar -> {
      if (ar.failed()) {
        replies.error(ctx, ErrorCode.STORE_UNAVAILABLE, "the result store is unavailable: " + ar.cause().getMessage());
        return;
      }
      replies.json(ctx, 200, TrackStore.view(id, ar.result()).put("zones", zones(id)).put("predict_horizon_ms", predictHorizonMs));
    });
  }

  private JsonArray zones(String cameraId) {
    JsonArray out = new JsonArray();
    for (Zone z : rules.rules(cameraId).zones()) {
      JsonArray polygon = new JsonArray();
      z.polygon().forEach(p -> polygon.add(new JsonArray().add(p[0]).add(p[1])));
      out.add(new JsonObject().put("name", z.name()).put("polygon", polygon).put("labels", new JsonArray(z.labels().stream().sorted().toList())));
    }
    return out;
  }

  static int limit(String s) throws ReadQuery.Invalid {
    if (s == null || s.isEmpty()) return DEFAULT_LIMIT;
    try {
      int n = Integer.parseInt(s);
      if (n >= 1 && n <= MAX_LIMIT) return n;
    } catch (NumberFormatException notANumber) {
      // refused below, like an out-of-range number
    }
    throw new ReadQuery.Invalid("limit must be an integer from 1 to " + MAX_LIMIT);
  }
}
