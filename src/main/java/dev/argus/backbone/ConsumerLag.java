package dev.argus.backbone;

import dev.argus.model.MetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One gateway's consumer lag, per group and topic, across its consumer instances (each reports its own
 * share): {@code kafka_consumer_lag} in records (summed over partitions and instances) and
 * {@code kafka_consumer_lag_seconds}, the age of the oldest record not yet finished (the largest of
 * the instances' ages). Refreshed by the subscriptions' lag probe; read by readiness and the stats.
 */
public final class ConsumerLag {
  private static final class Share {
    final Map<String, Long> records = new ConcurrentHashMap<>();
    final Map<String, Double> seconds = new ConcurrentHashMap<>();
    final Map<Integer, Long> partitions = new ConcurrentHashMap<>();

    long records() {
      long s = 0;
      for (long v : records.values()) s += v;
      return s;
    }

    double seconds() {
      double max = 0;
      for (double v : seconds.values()) max = Math.max(max, v);
      return max;
    }
  }

  private final MeterRegistry registry;
  private final Map<String, Share> shares = new ConcurrentHashMap<>();

  public ConsumerLag(MeterRegistry registry) {
    this.registry = registry;
  }

  /** One instance's lag: records behind the end of the topic, and the age of its oldest unfinished record. */
  public void report(String group, String topic, String instance, long records, double ageSeconds) {
    Share s = share(group, topic);
    s.records.put(instance, records);
    s.seconds.put(instance, ageSeconds);
  }

  /** The instance stopped consuming: its share no longer counts. */
  public void remove(String group, String topic, String instance) {
    Share s = share(group, topic);
    s.records.remove(instance);
    s.seconds.remove(instance);
  }

  /** Per-partition lag as last measured by this gateway's consumers. */
  public void reportPartitions(String group, String topic, Map<Integer, Long> lags) {
    share(group, topic).partitions.putAll(lags);
  }

  /** {@code {"<group>": {"topic", "total", "seconds", "partitions": {"<p>": lag}}}} for readiness. */
  public JsonObject snapshot() {
    JsonObject out = new JsonObject();
    shares.forEach((key, s) -> {
      String[] gt = key.split("\u0000");
      JsonObject parts = new JsonObject();
      s.partitions.forEach((p, lag) -> parts.put(String.valueOf(p), lag));
      out.put(gt[0], new JsonObject().put("topic", gt[1]).put("total", s.records()).put("seconds", s.seconds())
          .put("partitions", parts));
    });
    return out;
  }

  /** The current total in records for a group and topic (for the stats snapshot and readiness). */
  public long total(String group, String topic) {
    Share s = shares.get(group + "\u0000" + topic);
    return s == null ? 0 : s.records();
  }

  private Share share(String group, String topic) {
    return shares.computeIfAbsent(group + "\u0000" + topic, k -> {
      Share s = new Share();
      Gauge.builder(MetricNames.KAFKA_CONSUMER_LAG, s, Share::records)
          .tag(MetricNames.TAG_GROUP, group).tag(MetricNames.TAG_TOPIC, topic)
          .description("Records not yet processed, summed over partitions").register(registry);
      Gauge.builder(MetricNames.KAFKA_CONSUMER_LAG_SECONDS, s, Share::seconds)
          .tag(MetricNames.TAG_GROUP, group).tag(MetricNames.TAG_TOPIC, topic)
          .description("Age of the oldest record not yet processed").register(registry);
      return s;
    });
  }
}
