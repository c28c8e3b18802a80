package dev.argus.aggregate;

import dev.argus.config.ArgusConfig;
import dev.argus.model.Alert;
import dev.argus.model.Assessment;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * Results in Redis. One Lua script stores a result atomically: the idempotency marker
 * {@code argus:seen:{task_id}} (SET NX EX), the camera's latest state (only if not older than what is
 * there), its history stream (MAXLEN ~), the camera index, and the alert if one was raised. A write
 * that fails leaves nothing behind, so a retry is never mistaken for a duplicate.
 */
final class RedisResultStore implements ResultStore {
  static final String RECORD_SCRIPT = """
      if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
      local cur = redis.call('HGET', KEYS[2], 'detected_at_ms')
      if (not cur) or tonumber(cur) <= tonumber(ARGV[5]) then
        redis.call('HSET', KEYS[2], 'camera_id', ARGV[3], 'latest', ARGV[2], 'risk_level', ARGV[4],
          'risk_score', ARGV[6], 'detected_at_ms', ARGV[5], 'updated_at_ms', ARGV[7])
        redis.call('ZADD', KEYS[4], ARGV[6], ARGV[3])
      end
      redis.call('HINCRBY', KEYS[2], 'assessments', 1)
      redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[8], '*', 'task_id', ARGV[9], 'assessment', ARGV[2])
      if ARGV[10] ~= '' then
        redis.call('HSET', KEYS[6], 'alert', ARGV[10], 'camera_id', ARGV[3], 'status', ARGV[12])
        redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[8], '*', 'alert_id', ARGV[11], 'alert', ARGV[10])
      end
      return 1
      """;

  private final Redis client;
  private final RedisAPI api;
  private final ArgusConfig.Redis conf;
  private String sha;

  RedisResultStore(Vertx vertx, ArgusConfig.Redis conf) {
    this.conf = conf;
    this.client = Redis.createClient(vertx, new RedisOptions().setConnectionString(conf.url())
        .setMaxPoolSize(conf.maxPoolSize()).setMaxPoolWaiting(conf.maxPoolWaiting()));
    this.api = RedisAPI.api(client);
  }

  @Override
  public Future<Boolean> record(Assessment a, Alert alert) {
    String json = a.toJson().encode();
    List<String> args = new ArrayList<>(List.of("6",
        RedisKeys.seen(a.taskId()), RedisKeys.camera(a.cameraId()), RedisKeys.history(a.cameraId()),
        RedisKeys.CAMERAS, RedisKeys.ALERTS, alert == null ? RedisKeys.alert("none") : RedisKeys.alert(alert.alertId()),
        String.valueOf(conf.dedupTtlSeconds()), json, a.cameraId(), a.riskLevel().wire(),
        String.valueOf(a.detectedAtMs()), String.valueOf(a.riskScore()), String.valueOf(a.assessedAtMs()),
        String.valueOf(conf.historyMaxLen()), a.taskId(),
        alert == null ? "" : alert.toJson().encode(), alert == null ? "" : alert.alertId(),
        alert == null ? "" : alert.status()));
    return eval(args).map(r -> r.toInteger() == 1);
  }

  /** EVALSHA, loading the script first and again after a Redis restart forgot it (NOSCRIPT). */
  private Future<Response> eval(List<String> keysAndArgs) {
    Future<String> loaded = sha != null ? Future.succeededFuture(sha)
        : api.script(List.of("LOAD", RECORD_SCRIPT)).map(r -> sha = r.toString());
    return loaded.compose(s -> api.evalsha(prepend(s, keysAndArgs))).recover(err -> {
      if (String.valueOf(err.getMessage()).startsWith("NOSCRIPT")) {
        sha = null;
        return eval(keysAndArgs);
      }
      return Future.failedFuture(err);
    });
  }

  private static List<String> prepend(String first, List<String> rest) {
    List<String> out = new ArrayList<>(rest.size() + 1);
    out.add(first);
    out.addAll(rest);
    return out;
  }

  @Override
  public Future<List<JsonObject>> cameras() {
    return api.zrevrange(List.of(RedisKeys.CAMERAS, "0", "9999")).compose(ids -> {
      List<Request> reads = new ArrayList<>();
      List<String> cameraIds = new ArrayList<>();
      for (Response id : ids) {
        cameraIds.add(id.toString());
        reads.add(view(id.toString()));
      }
      if (reads.isEmpty()) return Future.succeededFuture(List.<JsonObject>of());
      return client.batch(reads).map(rows -> {
        List<JsonObject> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
          JsonObject v = toView(cameraIds.get(i), rows.get(i));
          if (v != null) out.add(v);
        }
        return ResultStore.byRisk(out);
      });
    });
  }

  @Override
  public Future<JsonObject> camera(String cameraId) {
    return client.send(view(cameraId)).map(r -> toView(cameraId, r));
  }

  private static Request view(String cameraId) {
    return Request.cmd(Command.HMGET).arg(RedisKeys.camera(cameraId)).arg("latest").arg("assessments").arg("updated_at_ms");
  }

  private static JsonObject toView(String cameraId, Response r) {
    if (r == null || r.size() < 3 || r.get(0) == null) return null;
    return ResultStore.cameraView(cameraId, new JsonObject(r.get(0).toString()),
        r.get(1) == null ? 0 : r.get(1).toLong(), r.get(2) == null ? 0 : r.get(2).toLong());
  }

  @Override
  public Future<JsonObject> health() {
    JsonObject h = new JsonObject().put("kind", "redis").put("url", redactedUrl());
    return api.ping(List.of()).map(r -> h.put("status", "UP"))
        .otherwise(err -> h.put("status", "DOWN").put("error", "Redis unreachable: " + err.getMessage()));
  }

  /** The URL without a password, for health output. */
  String redactedUrl() {
    return conf.url().replaceAll("//([^:@/]*):[^@/]*@", "//$1:***@");
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }
}
