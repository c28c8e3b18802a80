package dev.argus.aggregate;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * Alert states in Redis: one hash per camera ({@code owner}, {@code state}) with a TTL well beyond the
 * resolve window ({@code aggregate.alertStateTtlSeconds}), renewed by every write. Claim and the
 * owner-checked write are each one Lua script, so they are atomic against another node's.
 */
final class RedisAlertStates implements AlertStateStore {
  private static final String CLAIM_LUA = """
      redis.call('HSET', KEYS[1], 'owner', ARGV[1])
      redis.call('EXPIRE', KEYS[1], ARGV[2])
      return redis.call('HGET', KEYS[1], 'state')
      """;
  private static final String WRITE_LUA = """
      local owner = redis.call('HGET', KEYS[1], 'owner')
      if owner and owner ~= ARGV[1] then return 0 end
      redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'state', ARGV[2])
      redis.call('EXPIRE', KEYS[1], ARGV[3])
      return 1
      """;

  private final RedisAPI api;
  private final long ttlSeconds;
  private String claimSha;
  private String writeSha;

  RedisAlertStates(RedisAPI api, long ttlSeconds) {
    this.api = api;
    this.ttlSeconds = ttlSeconds;
  }

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public Future<JsonObject> claim(String cameraId, String owner) {
    return eval(true, List.of("1", RedisKeys.alertState(cameraId), owner, String.valueOf(ttlSeconds)))
        .map(r -> r == null ? null : new JsonObject(r.toString()));
  }

  @Override
  public Future<Boolean> write(String cameraId, String owner, JsonObject state) {
    return eval(false, List.of("1", RedisKeys.alertState(cameraId), owner, state.encode(), String.valueOf(ttlSeconds)))
        .map(r -> r.toInteger() == 1);
  }

  /** EVALSHA, loading the script first and again after a Redis restart forgot it (NOSCRIPT). */
  private Future<Response> eval(boolean claim, List<String> keysAndArgs) {
    String known = claim ? claimSha : writeSha;
    Future<String> loaded = known != null ? Future.succeededFuture(known)
        : api.script(List.of("LOAD", claim ? CLAIM_LUA : WRITE_LUA)).map(r -> {
          if (claim) claimSha = r.toString();
          else writeSha = r.toString();
          return r.toString();
        });
    return loaded.compose(sha -> {
      List<String> args = new ArrayList<>(keysAndArgs.size() + 1);
      args.add(sha);
      args.addAll(keysAndArgs);
      return api.evalsha(args);
    }).recover(err -> {
      if (String.valueOf(err.getMessage()).startsWith("NOSCRIPT")) {
        if (claim) claimSha = null;
        else writeSha = null;
        return eval(claim, keysAndArgs);
      }
      return Future.failedFuture(err);
    });
  }
}
