package dev.argus.backbone;

import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The plumbing every consuming stage shares: a publisher for its output, a subscription whose records
 * are decoded (an undecodable one becomes a {@link PoisonRecordException} and goes to the dead-letter
 * topic) and handed to the stage, the per-record processing time, and the stop in order (finish and
 * commit what is in hand, then flush the output). Call it from the verticle's {@code start()}:
 *
 * <pre>{@code
 * SubscriptionSpec spec = new SubscriptionSpec(topic, config.kafka().group("llm"), capacity, true);
 * return Stage.start(vertx, backbone, spec, MetricNames.STAGE_LLM,
 *         r -> AssessmentTask.fromJson(Stage.json(r)), this::onTask)
 *     .onSuccess(s -> stage = s);          // stage.publisher() for the output; stage.stop() in stop()
 * }</pre>
 *
 * @param <T> what a record decodes to
 */
public final class Stage<T> {
  /** Turns a record into the stage's input; throws {@link PoisonRecordException} (or a decoding error) when it cannot. */
  @FunctionalInterface
  public interface Decoder<T> {
    T decode(InboundRecord record);
  }

  /** Processes one decoded record; the contract of {@link RecordHandler#handle} applies. */
  @FunctionalInterface
  public interface Handler<T> {
    Future<?> handle(T value, InboundRecord record);
  }

  private final Decoder<T> decoder;
  private final Handler<T> handler;
  private final Timer processing;
  private Publisher publisher;
  private Subscription subscription;

  private Stage(Decoder<T> decoder, Handler<T> handler, Timer processing) {
    this.decoder = decoder;
    this.handler = handler;
    this.processing = processing;
  }

  /** Opens the publisher (off the event loop: a Kafka producer fetches metadata), then subscribes. */
  public static <T> Future<Stage<T>> start(Vertx vertx, Backbone backbone, SubscriptionSpec spec, String name,
                                           Decoder<T> decoder, Handler<T> handler) {
    Stage<T> stage = new Stage<>(decoder, handler, backbone.meters().processing(name));
    return vertx.executeBlocking(() -> backbone.stagePublisher(vertx), false)
        .compose(p -> {
          stage.publisher = p;
          return backbone.subscribe(vertx, spec, stage::handle)
              .onFailure(err -> p.close());
        })
        .map(s -> {
          stage.subscription = s;
          return stage;
        });
  }

  /** A record's value as a JSON object; anything else is undecodable. */
  public static JsonObject json(InboundRecord record) {
    return new JsonObject(record.value());
  }

  public Publisher publisher() {
    return publisher;
  }

  /** See {@link Subscription#owns}: false until subscribed. */
  public boolean owns(String key) {
    return subscription != null && subscription.owns(key);
  }

  /** Timed from taking the record until its outputs were acknowledged (or it failed). */
  private Future<?> handle(InboundRecord record) {
    long t0 = System.nanoTime();
    try {
      return handler.handle(decode(record), record).andThen(ar -> elapsedSince(t0));
    } catch (RuntimeException e) {
      elapsedSince(t0);
      throw e;
    }
  }

  private void elapsedSince(long t0) {
    processing.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
  }

  private T decode(InboundRecord record) {
    try {
      return decoder.decode(record);
    } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
      throw new PoisonRecordException(PoisonRecordException.UNDECODABLE,
          "record " + record.coordinates() + " is not readable: " + e.getMessage());
    }
  }

  /** Stops consuming (the batch in hand finishes and is committed), then flushes and closes the output. */
  public Future<Void> stop() {
    return stop(Future::succeededFuture);
  }

  /** As {@link #stop()}, running {@code afterConsuming} (which may still publish) in between. */
  public Future<Void> stop(Supplier<Future<?>> afterConsuming) {
    Future<Void> sub = subscription == null ? Future.succeededFuture() : subscription.close();
    return sub.transform(v -> afterConsuming.get()).transform(v -> publisher == null ? Future.succeededFuture() : publisher.close());
  }
}
