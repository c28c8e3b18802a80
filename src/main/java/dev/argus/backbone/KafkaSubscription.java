package dev.argus.backbone;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A poll loop: take a batch, hand every record to the handler in partition order, wait until all
 * their outputs were acknowledged, commit, poll again. Nothing is committed past an unfinished record.
 * A batch that fails transiently is rewound and retried after a pause; an undecodable record goes to
 * {@code <topic>.dlq} with the reason in headers and never blocks its partition.
 */
final class KafkaSubscription implements Subscription {
  private static final Logger log = LoggerFactory.getLogger(KafkaSubscription.class);
  /** How long one poll waits for records. */
  private static final Duration POLL = Duration.ofMillis(200);
  /** Pause before a failed poll, a rewound batch or a transiently failed record is tried again. */
  private static final long RETRY_MS = 1000;
  /** The lag probe's period (records and seconds). */
  private static final long LAG_EVERY_MS = 5000;
  /** How long a close waits for the records in hand to finish before leaving the group anyway. */
  private static final long DRAIN_MS = 15_000;
  /** Continuous mode: how often finished offsets are committed. */
  private static final long COMMIT_EVERY_MS = 1000;
  /** Headers of a dead letter: why, the error, and where the record came from ({@code topic-partition@offset}). */
  static final String DLQ_REASON_HEADER = "argus.dlq.reason";
  static final String DLQ_ERROR_HEADER = "argus.dlq.error";
  static final String DLQ_SOURCE_HEADER = "argus.dlq.source";

  private final Vertx vertx;
  private final KafkaConsumer<String, byte[]> consumer;
  private final SubscriptionSpec spec;
  private final RecordHandler handler;
  private final KafkaPublisher deadLetters;
  private final BackboneMeters meters;
  private final ConsumerLag lag;
  private final Assignments assignments;
  private final String instance = UUID.randomUUID().toString();
  private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
  private final Promise<Void> stopped = Promise.promise();
  private final OffsetTracker<TopicPartition> tracker = new OffsetTracker<>();
  private volatile boolean closing;
  private long lagTimer = -1;
  private long commitTimer = -1;
  private int inFlight;
  private boolean paused;
  private boolean lagProbeOut;
  private Future<Void> commitOut;
  /** The topic's partitions assigned here, and how many it has (for {@link #owns}). */
  private final Set<Integer> assigned = ConcurrentHashMap.newKeySet();
  private volatile int partitionCount;

  KafkaSubscription(Vertx vertx, KafkaConsumer<String, byte[]> consumer, SubscriptionSpec spec,
                    RecordHandler handler, KafkaPublisher deadLetters, BackboneMeters meters, ConsumerLag lag,
                    Assignments assignments) {
    this.vertx = vertx;
    this.consumer = consumer;
    this.spec = spec;
    this.handler = handler;
    this.deadLetters = deadLetters;
    this.meters = meters;
    this.lag = lag;
    this.assignments = assignments;
  }

  Future<Subscription> start() {
    consumer.partitionsRevokedHandler(parts -> parts.forEach(tp -> {
      nextOffsets.remove(tp);
      tracker.revoked(tp);
      assignments.revoked(spec.group(), tp.getTopic(), tp.getPartition());
      assigned.remove(tp.getPartition());
    }));
    // Added one by one: an eager rebalance hands out the whole set, a cooperative one only what is new.
    consumer.partitionsAssignedHandler(parts -> {
      parts.forEach(tp -> {
        assignments.assigned(spec.group(), tp.getTopic(), tp.getPartition());
        assigned.add(tp.getPartition());
      });
      // Asked at each assignment: partitions added to the topic cause one.
      consumer.partitionsFor(spec.topic()).onSuccess(infos -> partitionCount = infos.size());
    });
    return consumer.subscribe(spec.topic()).map(v -> {
      lagTimer = vertx.setPeriodic(LAG_EVERY_MS, id -> reportLag());
      if (spec.continuous()) commitTimer = vertx.setPeriodic(COMMIT_EVERY_MS, id -> commitFinished());
      pollLoop();
      return this;
    });
  }

  /** The producer's partition for the key (its default partitioner: murmur2 of the key's bytes), assigned here? */
  @Override
  public boolean owns(String key) {
    int n = partitionCount;
    if (n == 0 || key == null) return false;
    return assigned.contains(BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), n));
  }

  private void pollLoop() {
    if (closing) {
      if (!spec.continuous() || inFlight == 0) stopped.tryComplete();
      return;
    }
    consumer.poll(POLL).onComplete(ar -> {
      if (ar.failed()) {
        log.warn("poll on {} failed, retrying: {}", spec.topic(), ar.cause().getMessage());
        vertx.setTimer(RETRY_MS, t -> pollLoop());
      } else if (ar.result().isEmpty()) {
        pollLoop();
      } else if (spec.continuous()) {
        stream(ar.result());
        pollLoop();
      } else {
        process(ar.result());
      }
    });
  }

  /** Continuous mode: hand every record out, track it, retry transient failures in place. */
  private void stream(KafkaConsumerRecords<String, byte[]> records) {
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, byte[]> r = records.recordAt(i);
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      InboundRecord in = new InboundRecord(r.topic(), r.partition(), r.offset(), r.key(),
          r.value() == null ? Buffer.buffer() : Buffer.buffer(r.value()), r.timestamp());
      tracker.started(tp, r.offset(), r.timestamp());
      inFlight++;
      handleUntilDone(in).onComplete(ar -> {
        inFlight--;
        if (ar.succeeded()) tracker.finished(tp, in.offset());
        if (paused && inFlight <= spec.maxInFlight() / 2) setPaused(false);
        if (closing && inFlight == 0) stopped.tryComplete();
      });
    }
    if (!paused && inFlight >= spec.maxInFlight()) setPaused(true);
  }

  /** A transient failure is retried on the same record (never skipped); stops trying once closing. */
  private Future<Object> handleUntilDone(InboundRecord in) {
    return Retries.untilDone(vertx, () -> handleOne(in), RETRY_MS, () -> closing);
  }

  /** Partition-level pause: the consumer keeps polling (and its group membership) but gets no records. */
  private void setPaused(boolean pause) {
    paused = pause;
    consumer.assignment().compose(parts -> pause ? consumer.pause(parts) : consumer.resume(parts))
        .onFailure(err -> log.warn("could not {} {}: {}", pause ? "pause" : "resume", spec.topic(), err.getMessage()));
  }

  private Future<Void> commitFinished() {
    // One commit at a time: with the broker gone each waits out its timeout on the consumer's only
    // worker thread, and a queue of them would hold up the close behind them.
    if (commitOut != null) return commitOut;
    Map<TopicPartition, Long> next = tracker.committable();
    if (next.isEmpty()) return Future.succeededFuture();
    Map<TopicPartition, OffsetAndMetadata> commits = new LinkedHashMap<>();
    next.forEach((tp, o) -> commits.put(tp, new OffsetAndMetadata(o, null)));
    commitOut = consumer.commit(commits).onSuccess(v -> {
      tracker.committed(next);
      nextOffsets.putAll(next);
    }).<Void>mapEmpty().otherwise(err -> {
      log.warn("commit on {} failed (will retry): {}", spec.topic(), err.getMessage());
      return null;
    }).andThen(ar -> commitOut = null);
    return commitOut;
  }

  private void process(KafkaConsumerRecords<String, byte[]> records) {
    Map<TopicPartition, Long> first = new LinkedHashMap<>();
    Map<TopicPartition, OffsetAndMetadata> commits = new LinkedHashMap<>();
    List<Future<?>> outputs = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, byte[]> r = records.recordAt(i);
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      first.putIfAbsent(tp, r.offset());
      commits.put(tp, new OffsetAndMetadata(r.offset() + 1, null));
      tracker.started(tp, r.offset(), r.timestamp());
      InboundRecord in = new InboundRecord(r.topic(), r.partition(), r.offset(), r.key(),
          r.value() == null ? Buffer.buffer() : Buffer.buffer(r.value()), r.timestamp());
      outputs.add(handleOne(in));
    }
    Future.all(outputs)
        .compose(v -> consumer.commit(commits))
        .onSuccess(v -> {
          commits.forEach((tp, o) -> nextOffsets.put(tp, o.getOffset()));
          Map<TopicPartition, Long> done = new HashMap<>();
          commits.forEach((tp, o) -> done.put(tp, o.getOffset()));
          tracker.committed(done);
          pollLoop();
        })
        .onFailure(err -> {
          log.warn("batch on {} not finished ({}); rewinding {} partition(s) to retry", spec.topic(),
              err.getMessage(), first.size());
          Future.all(first.entrySet().stream().map(e -> consumer.seek(e.getKey(), e.getValue())).toList())
              .onComplete(s -> vertx.setTimer(RETRY_MS, t -> pollLoop()));
        });
  }

  private Future<?> handleOne(InboundRecord in) {
    Future<?> out;
    try {
      out = handler.handle(in);
    } catch (PoisonRecordException e) {
      return deadLetter(in, e.reason(), e.getMessage());
    } catch (RuntimeException e) {
      log.error("handler failed on {}; sending it to the dead-letter topic", in.coordinates(), e);
      return deadLetter(in, PoisonRecordException.PROCESSING_ERROR, String.valueOf(e));
    }
    return out.recover(err -> err instanceof PoisonRecordException p
        ? deadLetter(in, p.reason(), p.getMessage()).mapEmpty()
        : Future.failedFuture(err));
  }

  private Future<Void> deadLetter(InboundRecord in, String reason, String message) {
    log.warn("dead-lettering {}: {} ({})", in.coordinates(), reason, message);
    meters.deadLettered(in.topic(), reason);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(DLQ_REASON_HEADER, reason);
    headers.put(DLQ_ERROR_HEADER, message == null ? "" : message);
    headers.put(DLQ_SOURCE_HEADER, in.coordinates());
    return deadLetters.sendWithHeaders(List.of(new OutboundRecord(in.topic() + ".dlq", in.key(), in.value())), headers);
  }

  private void reportLag() {
    // One probe at a time: with the broker gone each waits out its timeout on the consumer's only
    // worker thread, and a queue of them would hold up the commit and close behind them.
    if (nextOffsets.isEmpty() || lagProbeOut || closing) return;
    lagProbeOut = true;
    Map<TopicPartition, Long> positions = new HashMap<>(nextOffsets);
    consumer.endOffsets(positions.keySet()).onComplete(ar -> lagProbeOut = false).onSuccess(ends -> {
      long records = 0;
      Map<Integer, Long> perPartition = new HashMap<>();
      for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
        Long pos = positions.get(e.getKey());
        if (pos == null) continue;
        long l = Math.max(0, e.getValue() - pos);
        records += l;
        perPartition.put(e.getKey().getPartition(), l);
      }
      // The oldest record behind the committed offsets is one this consumer holds (a batch in hand, or
      // records in flight); between two batches none is held and the age reads 0 until the next probe.
      long oldest = tracker.oldestUncommittedMs();
      double age = records > 0 && oldest >= 0 ? Math.max(0, System.currentTimeMillis() - oldest) / 1000.0 : 0;
      lag.report(spec.group(), spec.topic(), instance, records, age);
      lag.reportPartitions(spec.group(), spec.topic(), perPartition);
    });
  }

  @Override
  public Future<Void> close() {
    closing = true;
    if (lagTimer >= 0) vertx.cancelTimer(lagTimer);
    if (commitTimer >= 0) vertx.cancelTimer(commitTimer);
    lag.remove(spec.group(), spec.topic(), instance);
    // The loop notices `closing` once its batch in hand is committed; then leave the group. A batch
    // that cannot finish in time is simply redelivered to the next owner: nothing was committed for it.
    long t0 = System.currentTimeMillis();
    Future<Void> drained = stopped.future();
    vertx.setTimer(DRAIN_MS, t -> stopped.tryComplete());
    return drained
        .transform(v -> spec.continuous() ? commitFinished() : Future.succeededFuture())
        .andThen(v -> log.debug("{} drained in {} ms", spec.group(), System.currentTimeMillis() - t0))
        .transform(v -> consumer.close())
        .andThen(v -> log.debug("{} consumer closed after {} ms", spec.group(), System.currentTimeMillis() - t0))
        .transform(v -> deadLetters.close())
        .andThen(v -> log.info("consumer {} on {} stopped in {} ms", spec.group(), spec.topic(), System.currentTimeMillis() - t0));
  }
}
