package dev.argus.backbone;

import dev.argus.model.MetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code kafka_consumer_lag{group,topic}}: the sum over partitions of (end offset - next offset to
 * process), across every consumer instance of this process. Each instance reports its own share.
 */
public final class ConsumerLag {
  private static final Map<String, Map<String, Long>> SHARES = new ConcurrentHashMap<>();
  private static final Map<String, Map<Integer, Long>> PARTITIONS = new ConcurrentHashMap<>();

  private ConsumerLag() {}

  public static void report(MeterRegistry registry, String group, String topic, String instance, long lag) {
    String key = group + "\u0000" + topic;
    Map<String, Long> shares = SHARES.computeIfAbsent(key, k -> {
      Map<String, Long> m = new ConcurrentHashMap<>();
      Gauge.builder(MetricNames.KAFKA_CONSUMER_LAG, m, ConsumerLag::sumD)
          .tag(MetricNames.TAG_GROUP, group).tag(MetricNames.TAG_TOPIC, topic)
          .description("Records not yet processed, summed over partitions").register(registry);
      return m;
    });
    if (lag < 0) shares.remove(instance);
    else shares.put(instance, lag);
  }

  /** Per-partition lag as last measured by this process's consumers. */
  public static void reportPartitions(String group, String topic, Map<Integer, Long> lags) {
    PARTITIONS.computeIfAbsent(group + "\u0000" + topic, k -> new ConcurrentHashMap<>()).putAll(lags);
  }

  /** {@code {"<group>": {"topic", "total", "partitions": {"<p>": lag}}}} for readiness. */
  public static io.vertx.core.json.JsonObject snapshot() {
    io.vertx.core.json.JsonObject out = new io.vertx.core.json.JsonObject();
    SHARES.forEach((key, shares) -> {
      String[] gt = key.split("\u0000");
      io.vertx.core.json.JsonObject parts = new io.vertx.core.json.JsonObject();
      PARTITIONS.getOrDefault(key, Map.of()).forEach((p, lag) -> parts.put(String.valueOf(p), lag));
      out.put(gt[0], new io.vertx.core.json.JsonObject().put("topic", gt[1]).put("total", sum(shares)).put("partitions", parts));
    });
    return out;
  }

  /** The current total for a group and topic (for the stats snapshot and readiness). */
  public static long total(String group, String topic) {
    Map<String, Long> shares = SHARES.get(group + "\u0000" + topic);
    return shares == null ? 0 : sum(shares);
  }

  private static double sumD(Map<String, Long> m) {
    return sum(m);
  }

  private static long sum(Map<String, Long> m) {
    long s = 0;
    for (long v : m.values()) s += v;
    return s;
  }
}
