package dev.argus.backbone;

import dev.argus.config.ArgusConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Where stages meet: Kafka (embedded or external), or the local event bus in direct mode. */
public interface Backbone {
  /** {@code embedded}, {@code external} or {@code direct}. */
  String mode();

  /** Whether an acknowledged write survives a crash (false in direct mode). */
  boolean durable();

  /** A publisher bound to the calling verticle's context. */
  Publisher publisher(Vertx vertx);

  /**
   * The publisher of a consuming stage's output (tasks, results, alerts): low-volume hops a detection waits
   * on, so they favour latency over batching (see {@link KafkaBackbone#stagePublisher}).
   */
  default Publisher stagePublisher(Vertx vertx) {
    return publisher(vertx);
  }

  /** Starts consuming on the calling verticle's context. */
  Future<Subscription> subscribe(Vertx vertx, SubscriptionSpec spec, RecordHandler handler);

  /** The backbone's meters (records published, dead letters, stage processing time). */
  BackboneMeters meters();

  /** The lag of this gateway's consumers (always 0 in direct mode). */
  ConsumerLag lag();

  /** The partitions this node's consumers own (none in direct mode: there are no partitions). */
  default Assignments assignments() {
    return new Assignments();
  }

  /** {@code {"status": "UP"|"DOWN", "mode": ..., "durable": ...}} plus details. */
  Future<JsonObject> health();

  /** Releases the backbone (stops the embedded broker); after every stage was stopped. */
  Future<Void> close();

  /** The backbone {@code kafka.mode} asks for, started and with its topics in place; it reports into {@code registry}. */
  static Future<Backbone> start(Vertx vertx, ArgusConfig config, MeterRegistry registry) {
    BackboneMeters meters = new BackboneMeters(registry, config.kafka().topics());
    if (config.kafka().mode() == ArgusConfig.BackboneMode.DIRECT) {
      return Future.succeededFuture(new DirectBackbone(vertx, config.http().ackTimeoutMs(), meters));
    }
    return KafkaBackbone.start(vertx, config, meters);
  }
}
