package dev.argus.aggregate;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * Track positions in a capped stream per camera, {@code argus:camera:{id}:tracks}, one entry per
 * position (fields {@code track_id}, {@code label}, {@code x}, {@code y}, {@code t}), trimmed with
 * {@code MAXLEN ~}. A frame's positions go in one pipelined batch.
 */
final class RedisTrackStore implements TrackStore {
  private final Redis client;
  private final int maxLen;

  RedisTrackStore(Redis client, int maxLen) {
    this.client = client;
    this.maxLen = maxLen;
  }

  @Override
  public Future<Void> append(String cameraId, List<TrackPoint> points) {
    if (points.isEmpty()) return Future.succeededFuture();
    List<Request> adds = new ArrayList<>(points.size());
    for (TrackPoint p : points) {
      adds.add(Request.cmd(Command.XADD).arg(RedisKeys.tracks(cameraId)).arg("MAXLEN").arg("~").arg(maxLen).arg("*")
          .arg("track_id").arg(p.trackId()).arg("label").arg(p.label()).arg("x").arg(p.x()).arg("y").arg(p.y())
          .arg("t").arg(p.tMs()));
    }
    return client.batch(adds).mapEmpty();
  }

  @Override
  public Future<List<TrackPoint>> recent(String cameraId, long sinceMs, int limit) {
    return client.send(Request.cmd(Command.XREVRANGE).arg(RedisKeys.tracks(cameraId)).arg("+").arg("-").arg("COUNT").arg(limit))
        .map(r -> {
          List<TrackPoint> out = new ArrayList<>();
          if (r == null) return out;
          for (Response entry : r) {
            TrackPoint p = point(entry.get(1));
            if (p != null && p.tMs() >= sinceMs) out.add(p);
          }
          return out;
        });
  }

  private static TrackPoint point(Response fields) {
    String track = null, label = null;
    double x = Double.NaN, y = Double.NaN;
    long t = -1;
    try {
      for (int f = 0; f + 1 < fields.size(); f += 2) {
        String v = fields.get(f + 1).toString();
        switch (fields.get(f).toString()) {
          case "track_id" -> track = v;
          case "label" -> label = v;
          case "x" -> x = Double.parseDouble(v);
          case "y" -> y = Double.parseDouble(v);
          case "t" -> t = Long.parseLong(v);
          default -> { }
        }
      }
    } catch (NumberFormatException e) {
      return null; // not written by this store: skipped, never fatal to the read
    }
    return track == null || Double.isNaN(x) || Double.isNaN(y) || t < 0 ? null : new TrackPoint(track, label, x, y, t);
  }
}
