package dev.argus.backbone;

import dev.argus.config.ArgusConfig;
import dev.argus.config.ConfigLoader;
import dev.argus.model.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The stage helper on the direct backbone: decoding, dead letters, timing and publishing. */
class StageTest {
  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ArgusConfig.Topics topics = ConfigLoader.load(null, Map.of()).kafka().topics();
  private final DirectBackbone backbone = new DirectBackbone(vertx, 2000, new BackboneMeters(registry, topics));
  private final String topic = topics.detections().name();

  @AfterEach
  void close() {
    vertx.close();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private OutboundRecord record(String value) {
    return new OutboundRecord(topic, "cam", Buffer.buffer(value));
  }

  @Test
  void anUndecodableRecordIsDeadLetteredAndTimedAndTheStageOnlySeesDecodedValues() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> good = new CompletableFuture<>();
    Stage<JsonObject> stage = await(Stage.start(vertx, backbone, new SubscriptionSpec(topic, "g", 10),
        MetricNames.STAGE_BRIDGE, Stage::json, (json, in) -> {
          seen.add(json.getString("id"));
          good.complete(null);
          return Future.succeededFuture();
        }));
    Publisher p = backbone.publisher(vertx);
    await(p.send(record("not json")));
    // Records reach the stage in order, so once the good one is handled the bad one was done with.
    await(p.send(record("{\"id\": \"ok\"}")));
    good.get(10, TimeUnit.SECONDS);
    assertEquals(List.of("ok"), seen);
    Counter dlq = registry.find(MetricNames.DLQ).tag(MetricNames.TAG_TOPIC, topic)
        .tag(MetricNames.TAG_REASON, PoisonRecordException.UNDECODABLE).counter();
    assertNotNull(dlq);
    assertEquals(1, dlq.count());
    assertTrue(registry.find(MetricNames.KAFKA_EVENT_PROCESSING_DURATION).tag(MetricNames.TAG_STAGE, MetricNames.STAGE_BRIDGE)
        .timer().count() >= 1, "the refused record was timed too");
    await(stage.stop());
  }

  @Test
  void whatTheStagePublishesIsCountedOnceTakenWithItsEventType() throws Exception {
    Stage<JsonObject> stage = await(Stage.start(vertx, backbone, new SubscriptionSpec(topic, "g", 10),
        MetricNames.STAGE_BRIDGE, Stage::json, (json, in) -> Future.succeededFuture()));
    await(stage.publisher().send(record("{}")));
    Counter published = registry.find(MetricNames.KAFKA_EVENTS_PUBLISHED).tag(MetricNames.TAG_TOPIC, topic)
        .tag(MetricNames.TAG_EVENT_TYPE, "dev.argus.detection").counter();
    assertNotNull(published);
    assertEquals(1, published.count());
    await(stage.stop());
  }

  @Test
  void directModeReportsNoLagForAStage() throws Exception {
    Stage<JsonObject> stage = await(Stage.start(vertx, backbone, new SubscriptionSpec(topic, "g", 10),
        MetricNames.STAGE_BRIDGE, Stage::json, (json, in) -> Future.succeededFuture()));
    assertEquals(0.0, registry.find(MetricNames.KAFKA_CONSUMER_LAG_SECONDS).tag(MetricNames.TAG_GROUP, "g").gauge().value());
    await(stage.stop());
  }
}
