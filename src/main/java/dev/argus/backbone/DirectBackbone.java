package dev.argus.backbone;

import dev.argus.model.BusAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * No Kafka: stages meet on the local event bus. A write is acknowledged once the next stage took it
 * into memory, so nothing here survives a crash (health and the dashboard say so). Each consumer
 * holds at most {@code maxInFlight} records; past that a write is refused and the edge answers 503.
 * Nothing waits outside a stage, so the consumer lag is always 0.
 */
public final class DirectBackbone implements Backbone {
  private static final Logger log = LoggerFactory.getLogger(DirectBackbone.class);
  private static final String KEY_HEADER = "key";
  /** Pause before a record whose next stage failed for now is tried again. */
  private static final long RETRY_MS = 200;
  private final Vertx vertx;
  private final long sendTimeoutMs;
  private final BackboneMeters meters;
  private final ConsumerLag lag;
  private final CloudEventHeaders envelope = CloudEventHeaders.forThisNode();

  public DirectBackbone(Vertx vertx, long sendTimeoutMs, BackboneMeters meters) {
    this.vertx = vertx;
    this.sendTimeoutMs = sendTimeoutMs;
    this.meters = meters;
    this.lag = new ConsumerLag(meters.registry());
  }

  @Override
  public String mode() {
    return "direct";
  }

  @Override
  public boolean durable() {
    return false;
  }

  @Override
  public Publisher publisher(Vertx vertx) {
    return new Publisher() {
      private final AtomicInteger pending = new AtomicInteger();

      @Override
      public Future<Void> send(List<OutboundRecord> records) {
        return Future.all(records.stream().map(this::sendOne).toList()).mapEmpty();
      }

      private Future<Void> sendOne(OutboundRecord r) {
        pending.incrementAndGet();
        DeliveryOptions opts = new DeliveryOptions().setLocalOnly(true).setSendTimeout(sendTimeoutMs)
            .addHeader(KEY_HEADER, r.key());
        // The same CloudEvents attributes as on Kafka, as event-bus headers (nothing reads them yet).
        Map<String, String> ce = envelope.attributes(r, meters.eventType(r.topic()));
        ce.forEach(opts::addHeader);
        String type = ce.get(CloudEventHeaders.TYPE);
        return vertx.eventBus().request(BusAddresses.INTERNAL_TOPIC_PREFIX + r.topic(), r.value(), opts)
            .<Void>mapEmpty()
            .recover(err -> {
              // A topic nobody consumes in this process (alert-events) is delivered to nobody, as in Kafka.
              if (err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
                return Future.succeededFuture();
              }
              PublishException.Kind kind = err instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
                  ? PublishException.Kind.OVERLOADED : PublishException.Kind.UNAVAILABLE;
              return Future.failedFuture(new PublishException(kind, "the next stage did not take the record: " + err.getMessage(), err));
            })
            .andThen(ar -> {
              pending.decrementAndGet();
              if (ar.succeeded()) meters.published(r.topic(), type);
            });
      }

      @Override
      public int pending() {
        return pending.get();
      }

      @Override
      public Future<Void> close() {
        return Future.succeededFuture();
      }
    };
  }

  @Override
  public Future<Subscription> subscribe(Vertx vertx, SubscriptionSpec spec, RecordHandler handler) {
    lag.report(spec.group(), spec.topic(), spec.group(), 0, 0);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicLong offsets = new AtomicLong();
    MessageConsumer<Buffer> consumer = vertx.eventBus().localConsumer(BusAddresses.INTERNAL_TOPIC_PREFIX + spec.topic());
    consumer.handler(msg -> {
      if (inFlight.get() >= spec.maxInFlight()) {
        msg.fail(503, spec.topic() + " has " + spec.maxInFlight() + " records in flight");
        return;
      }
      inFlight.incrementAndGet();
      msg.reply(null);
      InboundRecord in = new InboundRecord(spec.topic(), 0, offsets.getAndIncrement(), msg.headers().get(KEY_HEADER),
          msg.body(), System.currentTimeMillis());
      // A transient failure (the next stage is full) is retried holding this record's slot, so the
      // backlog backs up to ingest (which then answers 503) instead of being dropped here.
      Retries.untilDone(vertx, () -> handler.handle(in), RETRY_MS, () -> false).onComplete(ar -> {
        inFlight.decrementAndGet();
        if (ar.failed()) {
          String reason = ((PoisonRecordException) ar.cause()).reason();
          meters.deadLettered(spec.topic(), reason);
          log.warn("direct mode: record {} refused ({}): {}", in.coordinates(), reason, ar.cause().getMessage());
        }
      });
    });
    return consumer.completion().map(v -> (Subscription) consumer::unregister);
  }

  @Override
  public BackboneMeters meters() {
    return meters;
  }

  @Override
  public ConsumerLag lag() {
    return lag;
  }

  @Override
  public Future<JsonObject> health() {
    return Future.succeededFuture(new JsonObject().put("status", "UP").put("mode", "direct").put("durable", false)
        .put("note", "direct mode: no Kafka, records in flight are lost on a crash"));
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
