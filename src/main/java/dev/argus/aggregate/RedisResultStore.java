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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * Results in Redis. One Lua script stores a result atomically: the idempotency marker
 * {@code argus:seen:{task_id}} (SET NX EX), the camera's latest state (only if not older than what is
 * there) and statistics, its history stream (MAXLEN ~), the camera index, and the alert events it
 * caused. A write that fails leaves nothing behind, so a retry is never mistaken for a duplicate.
 * (Alert keys are derived inside the script: fine for one Redis, not for Redis Cluster.)
 */
final class RedisResultStore implements ResultStore {
  /**
   * ARGV from {@code first}: alert count, then (id, last_seen ms, status, camera, json) per alert. The
   * index keeps the {@code redis.maxAlerts} most recent alerts.
   */
  private static final String ALERTS_LUA = """
      local n = tonumber(ARGV[%1$d])
      for i = 0, n - 1 do
        local b = %1$d + 1 + i * 5
        local id = ARGV[b]
        -- An event stored late (a result or tick retried after a store outage) never overwrites a newer
        -- state of the same alert: a resolved alert stays resolved, a count never goes down.
        local cur = redis.call('HMGET', '%2$s' .. id, 'status', 'alert')
        local stale = false
        if cur[1] then
          if cur[1] == 'resolved' then
            stale = ARGV[b + 2] ~= 'resolved'
          else
            local okOld, old = pcall(cjson.decode, cur[2])
            local okNew, new = pcall(cjson.decode, ARGV[b + 4])
            stale = okOld and okNew and type(old.count) == 'number' and type(new.count) == 'number' and old.count > new.count
          end
        end
        if not stale then
          redis.call('HSET', '%2$s' .. id, 'alert', ARGV[b + 4], 'status', ARGV[b + 2], 'camera_id', ARGV[b + 3],
            'last_seen_ms', ARGV[b + 1])
          redis.call('ZADD', KEYS[%3$d], ARGV[b + 1], id)
        end
        redis.call('XADD', KEYS[%4$d], 'MAXLEN', '~', ARGV[%5$d], '*', 'alert_id', id, 'alert', ARGV[b + 4])
      end
      if n > 0 and redis.call('ZCARD', KEYS[%3$d]) > %6$d then redis.call('ZREMRANGEBYRANK', KEYS[%3$d], 0, -(%6$d + 1)) end
      """;
  private static final String RECORD_LUA = """
      -- The marker holds the camera id, so an assessment can be found by its task id alone.
      if not redis.call('SET', KEYS[1], ARGV[3], 'NX', 'EX', ARGV[1]) then return 0 end
      local cur = redis.call('HGET', KEYS[2], 'detected_at_ms')
      if (not cur) or tonumber(cur) <= tonumber(ARGV[5]) then
        redis.call('HSET', KEYS[2], 'camera_id', ARGV[3], 'latest', ARGV[2], 'risk_level', ARGV[4],
          'risk_score', ARGV[6], 'detected_at_ms', ARGV[5], 'updated_at_ms', ARGV[7])
        redis.call('ZADD', KEYS[4], ARGV[6], ARGV[3])
      end
      redis.call('HSET', KEYS[2], 'stats', ARGV[10])
      redis.call('HINCRBY', KEYS[2], 'assessments', 1)
      redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[8], '*', 'task_id', ARGV[9], 'assessment', ARGV[2])
      """;

  private final String recordScript;
  private final String alertsScript;

  private static final Logger log = LoggerFactory.getLogger(RedisResultStore.class);
  private final Redis client;
  private final RedisAPI api;
  private final ArgusConfig.Redis conf;
  private TrackStore tracks;
  private String recordSha;
  private String alertsSha;

  RedisResultStore(Vertx vertx, ArgusConfig.Redis conf) {
    recordScript = RECORD_LUA + ALERTS_LUA.formatted(11, RedisKeys.ALERT_PREFIX, 6, 5, 8, conf.maxAlerts()) + "return 1\n";
    alertsScript = ALERTS_LUA.formatted(2, RedisKeys.ALERT_PREFIX, 2, 1, 1, conf.maxAlerts()) + "return 1\n";
    this.conf = conf;
    RedisOptions options = new RedisOptions().setConnectionString(conf.url())
        .setMaxPoolSize(conf.maxPoolSize()).setMaxPoolWaiting(conf.maxPoolWaiting());
    // A password of its own (redis.password) keeps the secret out of the URL; one in the URL works too.
    if (!conf.password().isEmpty()) options.setPassword(conf.password());
    // rediss:// verifies the server's certificate and host name; caPath trusts a private CA instead of the JVM's.
    if (conf.tls()) {
      NetClientOptions net = new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
      if (!conf.caPath().isEmpty()) net.setTrustOptions(new PemTrustOptions().addCertPath(conf.caPath()));
      options.setNetClientOptions(net);
    }
    this.client = Redis.createClient(vertx, options);
    this.api = RedisAPI.api(client);
  }

  @Override
  public synchronized TrackStore tracks(int maxLen) {
    if (tracks == null) tracks = new RedisTrackStore(client, maxLen);
    return tracks;
  }

  @Override
  public AlertStateStore alertStates(long ttlSeconds) {
    return new RedisAlertStates(api, ttlSeconds);
  }

  @Override
  public Future<Boolean> isSeen(String taskId) {
    return api.exists(List.of(RedisKeys.seen(taskId))).map(r -> r.toInteger() == 1);
  }

  @Override
  public Future<Boolean> record(Assessment a, JsonObject stats, List<Alert> alerts) {
    List<String> args = new ArrayList<>(List.of("6",
        RedisKeys.seen(a.taskId()), RedisKeys.camera(a.cameraId()), RedisKeys.history(a.cameraId()),
        RedisKeys.CAMERAS, RedisKeys.ALERTS, RedisKeys.ALERT_INDEX,
        String.valueOf(conf.dedupTtlSeconds()), a.toJson().encode(), a.cameraId(), a.riskLevel().wire(),
        String.valueOf(a.detectedAtMs()), String.valueOf(a.riskScore()), String.valueOf(a.assessedAtMs()),
        String.valueOf(conf.historyMaxLen()), a.taskId(), (stats == null ? new JsonObject() : stats).encode()));
    addAlerts(args, alerts);
    return eval(true, args).map(r -> r.toInteger() == 1);
  }

  @Override
  public Future<Void> saveAlerts(List<Alert> alerts) {
    if (alerts.isEmpty()) return Future.succeededFuture();
    List<String> args = new ArrayList<>(List.of("2", RedisKeys.ALERTS, RedisKeys.ALERT_INDEX, String.valueOf(conf.historyMaxLen())));
    addAlerts(args, alerts);
    return eval(false, args).mapEmpty();
  }

  private static void addAlerts(List<String> args, List<Alert> alerts) {
    args.add(String.valueOf(alerts.size()));
    for (Alert al : alerts) {
      args.addAll(List.of(al.alertId(), String.valueOf(al.lastSeenMs()), al.status(), al.cameraId(), al.toJson().encode()));
    }
  }

  /** EVALSHA, loading the script first and again after a Redis restart forgot it (NOSCRIPT). */
  private Future<Response> eval(boolean record, List<String> keysAndArgs) {
    String known = record ? recordSha : alertsSha;
    Future<String> loaded = known != null ? Future.succeededFuture(known)
        : api.script(List.of("LOAD", record ? recordScript : alertsScript)).map(r -> {
          if (record) recordSha = r.toString();
          else alertsSha = r.toString();
          return r.toString();
        });
    return loaded.compose(sha -> api.evalsha(prepend(sha, keysAndArgs))).recover(err -> {
      if (String.valueOf(err.getMessage()).startsWith("NOSCRIPT")) {
        if (record) recordSha = null;
        else alertsSha = null;
        return eval(record, keysAndArgs);
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
    return api.zrevrange(List.of(RedisKeys.CAMERAS, "0", String.valueOf(conf.maxCameras() - 1))).compose(ids -> {
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
    return Request.cmd(Command.HMGET).arg(RedisKeys.camera(cameraId)).arg("latest").arg("assessments")
        .arg("updated_at_ms").arg("stats");
  }

  private static JsonObject toView(String cameraId, Response r) {
    if (r == null || r.size() < 4 || r.get(0) == null) return null;
    return ResultStore.cameraView(cameraId, new JsonObject(r.get(0).toString()),
        r.get(1) == null ? 0 : r.get(1).toLong(), r.get(2) == null ? 0 : r.get(2).toLong(),
        r.get(3) == null ? null : new JsonObject(r.get(3).toString()));
  }

  @Override
  public Future<Page> history(String cameraId, int limit, HistoryCursor before) {
    if (before != null && before.isFirstPossible()) return Future.succeededFuture(new Page(List.of(), null));
    String end = before == null ? "+" : "(" + before.wire();
    return api.xrevrange(List.of(RedisKeys.history(cameraId), end, "-", "COUNT", String.valueOf(limit + 1))).map(r -> {
      List<JsonObject> items = new ArrayList<>();
      String next = null;
      for (int i = 0; i < r.size() && i < limit; i++) {
        Response entry = r.get(i);
        Response fields = entry.get(1);
        for (int f = 0; f + 1 < fields.size(); f += 2) {
          if ("assessment".equals(fields.get(f).toString())) items.add(new JsonObject(fields.get(f + 1).toString()));
        }
        if (i == limit - 1 && r.size() > limit) next = entry.get(0).toString();
      }
      return new Page(items, next);
    });
  }

  @Override
  public Future<Page> alerts(String status, Long sinceMs, int limit, AlertCursor c) {
    String max = c == null ? "+inf" : String.valueOf(c.lastSeenMs());
    String min = sinceMs == null ? "-inf" : String.valueOf(sinceMs);
    // Over-fetch a bounded window: the status filter and the cursor's ties are applied here.
    return api.zrevrangebyscore(List.of(RedisKeys.ALERT_INDEX, max, min, "LIMIT", "0", String.valueOf(Math.min(5000, limit * 20 + 50))))
        .compose(ids -> {
          if (ids.size() == 0) return Future.succeededFuture(new Page(List.of(), null));
          List<Request> reads = new ArrayList<>();
          for (Response id : ids) reads.add(Request.cmd(Command.HGET).arg(RedisKeys.alert(id.toString())).arg("alert"));
          return client.batch(reads).map(rows -> {
            List<JsonObject> items = new ArrayList<>();
            Alert last = null;
            for (Response row : rows) {
              if (row == null) continue;
              Alert al = readableAlert(row.toString());
              if (al == null) continue;
              if (c != null && !c.before(al.lastSeenMs(), al.alertId())) continue;
              if (status != null && !status.equals(al.status())) continue;
              if (items.size() == limit) return new Page(items, AlertCursor.of(last));
              items.add(al.toJson());
              last = al;
            }
            return new Page(items, null);
          });
        });
  }

  /**
   * A stored alert, or null when it cannot be read (written by a newer or older version, or damaged): one
   * such record is skipped and logged, and does not take the whole alert list down with it.
   */
  static Alert readableAlert(String stored) {
    try {
      return Alert.fromJson(new JsonObject(stored));
    } catch (RuntimeException e) {
      log.warn("skipping an unreadable stored alert ({}): {}", e.getClass().getSimpleName(), e.getMessage());
      return null;
    }
  }

  @Override
  public Future<JsonObject> assessment(String taskId) {
    return api.get(RedisKeys.seen(taskId)).compose(camera -> {
      if (camera == null) return Future.succeededFuture(null);
      return api.xrevrange(List.of(RedisKeys.history(camera.toString()), "+", "-", "COUNT", String.valueOf(conf.historyMaxLen())))
          .map(r -> {
            for (Response entry : r) {
              Response fields = entry.get(1);
              String task = null;
              String json = null;
              for (int f = 0; f + 1 < fields.size(); f += 2) {
                String name = fields.get(f).toString();
                if (name.equals("task_id")) task = fields.get(f + 1).toString();
                else if (name.equals("assessment")) json = fields.get(f + 1).toString();
              }
              if (taskId.equals(task) && json != null) return new JsonObject(json);
            }
            return null;
          });
    });
  }

  @Override
  public Future<Void> saveFeedback(String taskId, JsonObject verdict) {
    List<String> args = new ArrayList<>();
    args.add(RedisKeys.feedback(taskId));
    verdict.forEach(e -> {
      args.add(e.getKey());
      args.add(String.valueOf(e.getValue()));
    });
    // No expiry: verdicts are ground truth, written by hand, so they stay few.
    return api.hset(args).mapEmpty();
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
