package dev.argus.ingest;

import dev.argus.backbone.OutboundRecord;
import dev.argus.backbone.PublishException;
import dev.argus.backbone.Publisher;
import dev.argus.model.BusAddresses;
import dev.argus.model.Detection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/** When ingest publishes frames live, relative to the backbone's ack; the backbone is a stand-in whose ack the test gives. */
class FrameIngestTest {
  private final Vertx vertx = Vertx.vertx();
  private final List<String> live = new CopyOnWriteArrayList<>();
  private final Semaphore arrived = new Semaphore(0);

  /** A publisher whose ack is held until the test completes {@link #ack}; or one that refuses at once. */
  private static final class HeldPublisher implements Publisher {
    final Promise<Void> ack = Promise.promise();
    final boolean refuse;
    List<OutboundRecord> sent;

    HeldPublisher(boolean refuse) {
      this.refuse = refuse;
    }

    @Override
    public Future<Void> send(List<OutboundRecord> records) {
      sent = records;
      return refuse ? Future.failedFuture(new PublishException(PublishException.Kind.OVERLOADED, "full", null)) : ack.future();
    }

    @Override
    public int pending() {
      return 0;
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private FrameIngest ingest(Publisher publisher) {
    vertx.eventBus().<Buffer>consumer(BusAddresses.DETECTIONS, m -> {
      live.add(m.body().toString());
      arrived.release();
    });
    return new FrameIngest(vertx, publisher, "detection-results", 5_000, new IngestMeters(new SimpleMeterRegistry()),
        System::currentTimeMillis);
  }

  private static List<FrameIngest.Valid> frames(String... cameras) {
    return Arrays.stream(cameras)
        .map(c -> new FrameIngest.Valid(new Detection(c, "f-" + c, 1L, "yolo", null, List.of()), Buffer.buffer("{\"camera_id\":\"" + c + "\"}")))
        .toList();
  }

  private void awaitLive(int n) throws InterruptedException {
    assertTrue(arrived.tryAcquire(n, 5, TimeUnit.SECONDS), "live frames seen: " + live);
  }

  /** Runs {@code produce} on an event loop, as the ingest routes do, and returns its future. */
  private Future<Integer> onLoop(Supplier<Future<Integer>> produce) throws Exception {
    Promise<Future<Integer>> started = Promise.promise();
    vertx.runOnContext(v -> started.complete(produce.get()));
    return started.future().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void framesGoLiveWhileTheirAckIsStillOutstandingAndTheAnswerWaitsForIt() throws Exception {
    HeldPublisher publisher = new HeldPublisher(false);
    FrameIngest ingest = ingest(publisher);
    Future<Integer> produced = onLoop(() -> ingest.produce(frames("cam-a", "cam-b")));
    awaitLive(2);
    assertEquals(List.of("{\"camera_id\":\"cam-a\"}", "{\"camera_id\":\"cam-b\"}"), live, "published before the ack");
    assertFalse(produced.isComplete(), "the producer's answer waits for the ack");
    assertEquals(2, publisher.sent.size());
    vertx.runOnContext(v -> publisher.ack.complete());
    assertEquals(2, produced.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
  }

  @Test
  void aBatchTheBackboneRefusesAtOnceIsNeitherAcceptedNorPublishedLive() throws Exception {
    HeldPublisher refusing = new HeldPublisher(true);
    FrameIngest ingest = ingest(refusing);
    Future<Integer> produced = onLoop(() -> ingest.produce(frames("cam-a")));
    assertTrue(produced.failed());
    assertInstanceOf(PublishException.class, produced.cause());
    // the bus delivers one sender's messages in order: once a later accepted batch arrived, the refused one had its turn
    HeldPublisher taking = new HeldPublisher(false);
    FrameIngest next = new FrameIngest(vertx, taking, "detection-results", 5_000, new IngestMeters(new SimpleMeterRegistry()),
        System::currentTimeMillis);
    onLoop(() -> next.produce(frames("cam-b")));
    awaitLive(1);
    assertEquals(List.of("{\"camera_id\":\"cam-b\"}"), live);
  }
}
