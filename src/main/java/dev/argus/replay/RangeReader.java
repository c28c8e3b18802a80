package dev.argus.replay;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one topic's records whose time lies in [from, to]: a consumer of its own with no group (assigned
 * partitions, nothing committed, so no live group is touched), each partition sought with
 * {@code offsetsForTimes(from)} and read until a record after {@code to} or the end offset seen at the
 * start. Blocking: call from a worker thread, one call at a time.
 */
final class RangeReader implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration META = Duration.ofSeconds(15);
  private static final int MAX_EMPTY_POLLS = 20;

  private final Map<String, Object> props = new HashMap<>();
  private final String topic;
  private final long fromMs;
  private final long toMs;
  private KafkaConsumer<String, byte[]> consumer;
  private final Map<TopicPartition, Long> ends = new HashMap<>();
  private final Set<TopicPartition> open = new HashSet<>();
  private int emptyPolls;

  RangeReader(String bootstrap, Map<String, String> consumerConfig, String topic, long fromMs, long toMs) {
    props.putAll(consumerConfig);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    this.topic = topic;
    this.fromMs = fromMs;
    this.toMs = toMs;
  }

  void open() {
    consumer = new KafkaConsumer<>(props);
    List<TopicPartition> parts = new ArrayList<>();
    for (PartitionInfo p : consumer.partitionsFor(topic, META)) parts.add(new TopicPartition(topic, p.partition()));
    consumer.assign(parts);
    Map<TopicPartition, Long> query = new HashMap<>();
    parts.forEach(tp -> query.put(tp, fromMs));
    Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(query, META);
    Map<TopicPartition, Long> endOffsets = consumer.endOffsets(parts, META);
    for (TopicPartition tp : parts) {
      OffsetAndTimestamp start = starts.get(tp);
      long end = endOffsets.getOrDefault(tp, 0L);
      if (start == null || start.offset() >= end) continue; // nothing at or after `from` in this partition
      consumer.seek(tp, start.offset());
      ends.put(tp, end);
      open.add(tp);
    }
    consumer.pause(new HashSet<>(parts));
    consumer.resume(open);
  }

  /** The next records in range, or null when every partition was read to the end of the range. */
  List<ConsumerRecord<String, byte[]>> next() {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    while (out.isEmpty() && !open.isEmpty()) {
      var polled = consumer.poll(POLL);
      if (polled.isEmpty() && ++emptyPolls > MAX_EMPTY_POLLS) {
        throw new IllegalStateException("the broker sent nothing for " + MAX_EMPTY_POLLS + " polls");
      }
      for (ConsumerRecord<String, byte[]> r : polled) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        if (!open.contains(tp)) continue;
        if (r.timestamp() < fromMs) continue; // an older record after the first in range (producer time)
        if (r.timestamp() > toMs) {
          finish(tp);
          continue;
        }
        out.add(r);
        if (r.offset() + 1 >= ends.get(tp)) finish(tp);
      }
      if (!polled.isEmpty()) emptyPolls = 0;
    }
    return out.isEmpty() ? null : out;
  }

  private void finish(TopicPartition tp) {
    if (open.remove(tp)) consumer.pause(List.of(tp));
  }

  @Override
  public void close() {
    if (consumer != null) consumer.close(Duration.ofSeconds(5));
  }
}
