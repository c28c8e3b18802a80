package dev.argus.quality;

import dev.argus.model.BusAddresses;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Ingest's report of refused frames to camera health. Refused frames never reach Kafka, so the health
 * stage (which reads {@code detection-results}) would never see them: ingest tells it on
 * {@link BusAddresses#INTERNAL_INGEST_REJECTED}, one message per request, the frames counted per camera.
 */
public final class RejectedFrames {
  private RejectedFrames() {}

  /** Publishes the refusals of one request; nothing when no refused frame named a readable camera. */
  public static void report(EventBus bus, List<String> cameras, long atMs) {
    if (cameras.isEmpty()) return;
    bus.publish(BusAddresses.INTERNAL_INGEST_REJECTED, message(cameras, atMs));
  }

  static JsonObject message(List<String> cameras, long atMs) {
    Map<String, Integer> counts = new TreeMap<>();
    for (String c : cameras) counts.merge(c, 1, Integer::sum);
    JsonObject byCamera = new JsonObject();
    counts.forEach(byCamera::put);
    return new JsonObject().put("at", atMs).put("cameras", byCamera);
  }
}
