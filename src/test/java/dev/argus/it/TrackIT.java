package dev.argus.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static dev.argus.it.AggregationIT.alertsFor;
import static dev.argus.it.Eventually.eventually;
import static dev.argus.it.Eventually.unchecked;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Trajectories end to end (issue 12, point 5): frames with {@code track_id} posted over HTTP become the
 * camera's track paths (read back from {@code GET /api/v1/cameras/{id}/tracks}), and a person walking
 * towards a zone raises a {@code predicted} alert before entering, resolved as "entered" when they do.
 */
class TrackIT {
  private static final JsonArray VAULT = new JsonArray().add(new JsonObject().put("name", "vault")
      .put("polygon", new JsonArray("[[500,500],[600,500],[600,600],[500,600]]")).put("labels", new JsonArray().add("person")));

  private static JsonObject overrides(String cam, JsonObject store) {
    return Gateway.onTestKafka().mergeIn(store, true)
        .put("detection", new JsonObject().put("cameras", new JsonObject().put(cam, new JsonObject().put("zones", VAULT))));
  }

  /** Frame i: person p1 walks right along y = 550 at 50 px/s (enters the vault at frame 13); p2 stands still. */
  private static String frame(String cam, int i, long t0) {
    double x = 200 + 25 * i;
    return new JsonObject().put("camera_id", cam).put("frame_id", i).put("timestamp", t0 + i * 500L)
        .put("detections", new JsonArray()
            .add(new JsonObject().put("label", "person").put("confidence", 0.9).put("bbox", new JsonArray().add(x - 10).add(540).add(x + 10).add(560)).put("track_id", "p1"))
            .add(new JsonObject().put("label", "person").put("confidence", 0.9).put("bbox", new JsonArray().add(90).add(90).add(110).add(110)).put("track_id", "p2")))
        .encode();
  }

  private static void walk(Gateway gw, String cam, long t0) throws Exception {
    for (int i = 0; i < 16; i++) assertEquals(202, gw.post("/api/v1/detections", "application/json", frame(cam, i, t0)).statusCode());
  }

  private static JsonObject tracks(Gateway gw, String cam, String query, int p1Points) {
    return eventually(Duration.ofSeconds(60), p1Points + " positions of p1 in the tracks of " + cam,
        unchecked(() -> new JsonObject(gw.get("/api/v1/cameras/" + cam + "/tracks" + query).body())),
        r -> r.getJsonArray("tracks", new JsonArray()).stream().map(o -> (JsonObject) o)
            .anyMatch(t -> "p1".equals(t.getString("track_id")) && t.getJsonArray("points").size() >= p1Points));
  }

  @Test
  void aPersonWalkingIntoAZoneIsPredictedThenEntersWithRedis() throws Exception {
    String cam = "walk-" + UUID.randomUUID().toString().substring(0, 6);
    long t0 = System.currentTimeMillis();
    try (Gateway gw = Gateway.start(overrides(cam, new JsonObject().put("redis", new JsonObject().put("url", TestRedis.url()))));
         SockJsClient bus = new SockJsClient(gw.vertx, gw.port)) {
      bus.register("argus.alerts");
      walk(gw, cam, t0);
      JsonObject r = tracks(gw, cam, "", 16);
      JsonObject p1 = r.getJsonArray("tracks").stream().map(o -> (JsonObject) o).filter(t -> "p1".equals(t.getString("track_id"))).findFirst().orElseThrow();
      assertEquals("person", p1.getString("label"));
      assertEquals(new JsonArray().add(200.0).add(550.0).add(t0), p1.getJsonArray("points").getJsonArray(0), "oldest first, [x, y, t_ms]");
      assertEquals(t0 + 15 * 500L, p1.getLong("last_seen_ms"));
      assertTrue(r.getJsonArray("tracks").stream().anyMatch(t -> "p2".equals(((JsonObject) t).getString("track_id"))));
      assertEquals("vault", r.getJsonArray("zones").getJsonObject(0).getString("name"));
      assertEquals(5000L, r.getLong("predict_horizon_ms"));
      assertEquals(2, new JsonObject(gw.get("/api/v1/cameras/" + cam + "/tracks?limit=2").body()).getInteger("points"), "limit caps the positions");
      assertEquals(0, new JsonObject(gw.get("/api/v1/cameras/" + cam + "/tracks?since=" + (t0 + 60_000)).body()).getJsonArray("tracks").size());
      assertEquals(400, gw.get("/api/v1/cameras/" + cam + "/tracks?limit=0").statusCode());

      List<JsonObject> events = eventually(Duration.ofSeconds(30), "a predicted alert for " + cam + ", opened then resolved",
          () -> alertsFor(bus, cam).stream().filter(e -> "predicted".equals(e.getString("level"))).toList(),
          l -> l.stream().anyMatch(e -> "resolved".equals(e.getString("status"))));
      JsonObject opened = events.get(0);
      assertEquals("open", opened.getString("status"));
      assertEquals("zone_entry_predicted", opened.getString("rule"));
      assertEquals("risk", opened.getString("kind"));
      assertTrue(opened.getString("alert_id").contains(":p1:vault:"), opened.encode());
      JsonObject resolved = events.get(events.size() - 1);
      assertEquals(opened.getString("alert_id"), resolved.getString("alert_id"));
      assertTrue(resolved.getString("message").startsWith("entered as predicted"), resolved.encode());
      assertEquals(2, events.size(), "one prediction, opened and resolved: " + events);
      // Stored like every alert, its level intact.
      JsonObject listed = new JsonObject(gw.get("/api/v1/alerts?limit=1000").body());
      JsonObject stored = listed.getJsonArray("items").stream().map(o -> (JsonObject) o)
          .filter(o -> opened.getString("alert_id").equals(o.getString("alert_id"))).findFirst().orElseThrow();
      assertEquals("predicted", stored.getString("level"));
      assertEquals("resolved", stored.getString("status"));
      String metrics = gw.get("/metrics").body();
      assertTrue(metrics.lines().anyMatch(l -> l.startsWith("argus_predictions_total{outcome=\"entered\"") && !l.endsWith(" 0.0")),
          "the prediction counted as entered");
    }
  }

  @Test
  void theMemoryStoreKeepsACappedListPerCamera() throws Exception {
    String cam = "walkmem-" + UUID.randomUUID().toString().substring(0, 6);
    long t0 = System.currentTimeMillis();
    JsonObject conf = overrides(cam, new JsonObject().put("redis", new JsonObject().put("url", "")))
        .put("aggregate", new JsonObject().put("tracks", new JsonObject().put("maxLen", 10)));
    try (Gateway gw = Gateway.start(conf)) {
      walk(gw, cam, t0);
      // 32 positions went in; the newest 10 stay: about p1's last five frames and p2's. Waited on until
      // the last frame is in (five of p1's positions can be there one frame before it).
      JsonObject r = eventually(Duration.ofSeconds(60), "the last frame's position of p1 in the tracks of " + cam,
          () -> tracks(gw, cam, "", 5), t -> t.getJsonArray("tracks").stream().map(o -> (JsonObject) o)
              .anyMatch(tr -> "p1".equals(tr.getString("track_id")) && tr.getLong("last_seen_ms") == t0 + 15 * 500L));
      assertEquals(10, r.getInteger("points"));
      JsonObject p1 = r.getJsonArray("tracks").stream().map(o -> (JsonObject) o).filter(t -> "p1".equals(t.getString("track_id"))).findFirst().orElseThrow();
      assertEquals(t0 + 15 * 500L, p1.getLong("last_seen_ms"));
      // Nothing from the first ten frames survives the cap (p1's oldest is frame 11, or 10 should two
      // frames have been handled out of posting order).
      assertTrue(p1.getJsonArray("points").getJsonArray(0).getLong(2) >= t0 + 10 * 500L, "t0 " + t0 + ": " + r.encode());
    }
  }
}
