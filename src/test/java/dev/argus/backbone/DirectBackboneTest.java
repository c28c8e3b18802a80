package dev.argus.backbone;

import dev.argus.config.ConfigLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** Direct mode on a real event bus: a busy stage pushes back, and nothing taken is dropped. */
class DirectBackboneTest {
  private final Vertx vertx = Vertx.vertx();
  private final DirectBackbone backbone = new DirectBackbone(vertx, 2000, new BackboneMeters(new SimpleMeterRegistry(), ConfigLoader.load(null, Map.of()).kafka().topics()));

  @AfterEach
  void close() {
    vertx.close();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static OutboundRecord record(String key) {
    return new OutboundRecord("t", key, Buffer.buffer("{}"));
  }

  @Test
  void aRecordWhoseNextStageFailsForNowIsRetriedNotDropped() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<Integer> handled = new CompletableFuture<>();
    await(backbone.subscribe(vertx, new SubscriptionSpec("t", "g", 10), in -> {
      if (attempts.incrementAndGet() < 3) return Future.failedFuture(new PublishException(PublishException.Kind.OVERLOADED, "full", null));
      handled.complete(attempts.get());
      return Future.succeededFuture();
    }));
    await(backbone.publisher(vertx).send(record("a")));
    assertEquals(3, handled.get(10, TimeUnit.SECONDS));
  }

  @Test
  void aFullStageRefusesFurtherRecordsAsOverloaded() throws Exception {
    Promise<Void> never = Promise.promise();
    await(backbone.subscribe(vertx, new SubscriptionSpec("t", "g", 2), in -> never.future()));
    Publisher p = backbone.publisher(vertx);
    await(p.send(record("a")));
    await(p.send(record("b")));
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(p.send(record("c"))));
    assertTrue(e.getCause() instanceof PublishException pe && pe.kind() == PublishException.Kind.OVERLOADED, String.valueOf(e.getCause()));
  }
}
