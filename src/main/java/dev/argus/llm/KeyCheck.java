package dev.argus.llm;

import dev.argus.config.ArgusConfig;
import dev.argus.config.LlmKeySpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code verify-keys}: one minimal request per configured key, and a table of what each answered
 * (ok, 401/403, 429, another HTTP status, or unreachable). Secrets appear masked only.
 */
public final class KeyCheck {
  public record Result(LlmKeySpec key, String outcome, Integer status, long latencyMs, String detail) {
    public boolean usable() {
      // A rate-limited key works; it was just busy.
      return outcome.equals("ok") || outcome.equals("rate_limited");
    }
  }

  private KeyCheck() {}

  public static Future<List<Result>> run(Vertx vertx, ArgusConfig.Llm conf) {
    WebClient client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(conf.connectTimeoutMs()));
    ProviderClient provider = new ProviderClient(client, conf);
    List<Future<Result>> checks = new ArrayList<>();
    for (LlmKeySpec key : conf.keys()) {
      long t0 = System.currentTimeMillis();
      checks.add(provider.probe(key).map(r -> {
        int code = r.statusCode();
        String outcome = code / 100 == 2 ? "ok" : code == 401 || code == 403 ? "unauthorized" : code == 429 ? "rate_limited" : "http_" + code;
        return new Result(key, outcome, code, System.currentTimeMillis() - t0, "");
      }).otherwise(err -> new Result(key, "unreachable", null, System.currentTimeMillis() - t0, String.valueOf(err.getMessage()))));
    }
    return Future.join(checks).transform(ar -> {
      client.close();
      return Future.succeededFuture(checks.stream().map(Future::result).toList());
    });
  }

  public static String table(List<Result> results) {
    StringBuilder sb = new StringBuilder(String.format("%-16s %-14s %-14s %6s %8s  %s%n", "id", "key", "result", "status", "ms", "detail"));
    for (Result r : results) {
      sb.append(String.format("%-16s %-14s %-14s %6s %8d  %s%n", r.key().id(), r.key().masked(), r.outcome(),
          r.status() == null ? "-" : r.status(), r.latencyMs(), r.detail()));
    }
    return sb.toString();
  }
}
