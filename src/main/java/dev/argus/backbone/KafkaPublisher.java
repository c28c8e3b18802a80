package dev.argus.backbone;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeader;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One idempotent producer per verticle instance. Records go to the native producer straight from the
 * event loop (it only blocks for missing metadata, which is fetched before the first send, or a full
 * buffer, which the pending-write bound prevents); a batch completes with one hop back to the context.
 */
final class KafkaPublisher implements Publisher {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private final Context context;
  private final KafkaProducer<String, byte[]> producer;
  private final int maxPending;
  private final BackboneMeters meters;
  private final CloudEventHeaders envelope;
  private final AtomicInteger pending = new AtomicInteger();

  KafkaPublisher(Vertx vertx, KafkaProducer<String, byte[]> producer, int maxPending, BackboneMeters meters,
                 CloudEventHeaders envelope) {
    this.context = vertx.getOrCreateContext();
    this.producer = producer;
    this.maxPending = maxPending;
    this.meters = meters;
    this.envelope = envelope;
  }

  @Override
  public Future<Void> send(List<OutboundRecord> records) {
    return sendWithHeaders(records, Map.of());
  }

  Future<Void> sendWithHeaders(List<OutboundRecord> records, Map<String, String> headers) {
    int n = records.size();
    if (n == 0) return Future.succeededFuture();
    if (pending.addAndGet(n) > maxPending) {
      pending.addAndGet(-n);
      return Future.failedFuture(new PublishException(PublishException.Kind.OVERLOADED,
          "more than " + maxPending + " writes are waiting for the broker", null));
    }
    Promise<Void> promise = Promise.promise();
    AtomicInteger left = new AtomicInteger(n);
    AtomicReference<Exception> firstError = new AtomicReference<>();
    String lastTopic = null, lastType = null;
    Counter counter = null;
    for (OutboundRecord r : records) {
      String type = r.eventType() != null ? r.eventType() : meters.eventType(r.topic());
      // A batch is one topic and type as a rule: its counter is looked up once, not per acknowledged record.
      if (counter == null || !r.topic().equals(lastTopic) || !type.equals(lastType)) {
        counter = meters.publishedCounter(r.topic(), type);
        lastTopic = r.topic();
        lastType = type;
      }
      Counter published = counter;
      ProducerRecord<String, byte[]> pr = new ProducerRecord<>(r.topic(), null, r.key(), r.value().getBytes(),
          envelope.kafkaHeaders(r, type));
      headers.forEach((k, v) -> pr.headers().add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
      try {
        producer.send(pr, (meta, err) -> {
          if (err != null) firstError.compareAndSet(null, err);
          else published.increment();
          if (left.decrementAndGet() == 0) {
            pending.addAndGet(-n);
            Exception e = firstError.get();
            context.runOnContext(v -> {
              if (e == null) promise.complete();
              else promise.fail(unavailable(e));
            });
          }
        });
      } catch (RuntimeException e) {
        // send() refused synchronously (closed producer, metadata timeout): count the rest as done.
        firstError.compareAndSet(null, e);
        if (left.decrementAndGet() == 0) {
          pending.addAndGet(-n);
          promise.fail(unavailable(e));
        }
      }
    }
    return promise.future();
  }

  private static PublishException unavailable(Exception e) {
    String why = e instanceof RetriableException ? "the broker did not acknowledge in time" : "the broker refused the write";
    return new PublishException(PublishException.Kind.UNAVAILABLE, why + ": " + e.getMessage(), e);
  }

  @Override
  public int pending() {
    return pending.get();
  }

  @Override
  public Future<Void> close() {
    // close() waits for buffered records to be acknowledged, bounded: with the broker gone, a shutdown
    // must not sit out Kafka's delivery timeout (those writes were never answered 202 anyway).
    return context.owner().executeBlocking(() -> {
      producer.close(CLOSE_TIMEOUT);
      return null;
    }, false);
  }
}
