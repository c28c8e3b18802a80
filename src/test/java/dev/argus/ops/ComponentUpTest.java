package dev.argus.ops;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ComponentUpTest {
  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private double refreshed(Supplier<Future<JsonObject>> check, long timeoutMs) throws Exception {
    ComponentUp up = new ComponentUp(vertx, registry, Map.of("store", check), timeoutMs);
    up.refresh().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return registry.get(ComponentUp.NAME).tag(ComponentUp.TAG, "store").gauge().value();
  }

  @Test
  void aCheckAnsweringUpSetsTheGaugeToOne() throws Exception {
    assertEquals(1.0, refreshed(() -> Future.succeededFuture(new JsonObject().put("status", "UP")), 1000));
  }

  @Test
  void aCheckAnsweringDownSetsTheGaugeToZero() throws Exception {
    assertEquals(0.0, refreshed(() -> Future.succeededFuture(new JsonObject().put("status", "DOWN")), 1000));
  }

  @Test
  void aFailedCheckCountsAsDown() throws Exception {
    assertEquals(0.0, refreshed(() -> Future.failedFuture("unreachable"), 1000));
  }

  @Test
  void aCheckThatNeverAnswersCountsAsDownAfterTheTimeout() throws Exception {
    assertEquals(0.0, refreshed(() -> Promise.<JsonObject>promise().future(), 50));
  }

  @Test
  void theGaugeFollowsTheCheckBackUp() throws Exception {
    JsonObject answer = new JsonObject().put("status", "DOWN");
    ComponentUp up = new ComponentUp(vertx, registry, Map.of("backbone", () -> Future.succeededFuture(answer.copy())), 1000);
    up.refresh().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    answer.put("status", "UP");
    up.refresh().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(1.0, registry.get(ComponentUp.NAME).tag(ComponentUp.TAG, "backbone").gauge().value());
  }
}
