package dev.argus.backbone;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import dev.argus.config.ArgusConfig;

/** Where stages meet: Kafka (embedded or external), or the local event bus in direct mode. */
public interface Backbone {
  /** {@code embedded}, {@code external} or {@code direct}. */
  String mode();

  /** Whether an acknowledged write survives a crash (false in direct mode). */
  boolean durable();

  /** A publisher bound to the calling verticle's context. */
  Publisher publisher(Vertx vertx);

  /** Starts consuming on the calling verticle's context. */
  Future<Subscription> subscribe(Vertx vertx, SubscriptionSpec spec, RecordHandler handler);

  /** {@code {"status": "UP"|"DOWN", "mode": ..., "durable": ...}} plus details. */
  Future<JsonObject> health();

  /** Releases the backbone (stops the embedded broker); after every stage was stopped. */
  Future<Void> close();

  /** The backbone {@code kafka.mode} asks for, started and with its topics in place. */
  static Future<Backbone> start(Vertx vertx, ArgusConfig config) {
    if (config.kafka().mode() == ArgusConfig.BackboneMode.DIRECT) {
      return Future.succeededFuture(new DirectBackbone(vertx, config.http().ackTimeoutMs()));
    }
    return KafkaBackbone.start(vertx, config);
  }
}
