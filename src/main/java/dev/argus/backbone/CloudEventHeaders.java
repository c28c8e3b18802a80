package dev.argus.backbone;

import dev.argus.model.EventTypes;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The CloudEvents 1.0 envelope of a record in the Kafka protocol binding's binary mode: the body stays
 * the event's data as is, and the context attributes are headers {@code ce_<attribute>} (UTF-8 values)
 * plus {@code content-type}. Written by the spec rather than with the CloudEvents SDK: the SDK's Kafka
 * writer would need a CloudEvent object built around every body just to produce six string headers,
 * and its reader does not take the Vert.x consumer's header type; the ITs check the result with the SDK.
 */
public final class CloudEventHeaders {
  public static final String SPECVERSION = "ce_specversion";
  public static final String ID = "ce_id";
  public static final String TYPE = "ce_type";
  public static final String SOURCE = "ce_source";
  public static final String TIME = "ce_time";
  public static final String CONTENT_TYPE = "content-type";
  public static final String JSON = "application/json";
  public static final String VERSION = "1.0";
  /** Environment variable naming this node in {@code ce_source}; the host name when unset. */
  public static final String NODE_ENV = "ARGUS_NODE_ID";

  private final String node;
  private final LongSupplier clock;
  /** The four headers that depend only on a record's type and stage, built once per pair (a handful). */
  private final Map<Kind, Header[]> constant = new ConcurrentHashMap<>();
  /** The last {@code ce_time} formatted: records of one millisecond share it (a batch is written in one). */
  private volatile TimeText lastTime = new TimeText(Long.MIN_VALUE, null);

  private record TimeText(long ms, byte[] utf8) {}

  /** What the shared headers depend on (a record key: no string is built per record to look them up). */
  private record Kind(String type, String stage) {}

  public CloudEventHeaders(String node, LongSupplier clock) {
    this.node = node;
    this.clock = clock;
  }

  /** For this process: the node from {@value #NODE_ENV}, else the host name, and the wall clock. */
  public static CloudEventHeaders forThisNode() {
    return new CloudEventHeaders(nodeId(System.getenv(NODE_ENV)), System::currentTimeMillis);
  }

  static String nodeId(String configured) {
    if (configured != null && !configured.isBlank()) return configured.trim();
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "local";
    }
  }

  public String node() {
    return node;
  }

  /** The attributes of {@code r}, whose type follows from its topic ({@code topicType}) unless it says otherwise. */
  public Map<String, String> attributes(OutboundRecord r, String topicType) {
    String type = type(r, topicType);
    Map<String, String> h = new LinkedHashMap<>();
    h.put(SPECVERSION, VERSION);
    h.put(ID, id(r));
    h.put(TYPE, type);
    h.put(SOURCE, source(stage(r, type)));
    h.put(TIME, new String(time(clock.getAsLong()), StandardCharsets.UTF_8));
    h.put(CONTENT_TYPE, JSON);
    return h;
  }

  /**
   * The same attributes as Kafka record headers, for the producer's hot path: the four that depend only on
   * the type and stage are shared instances, and {@code ce_time} is formatted once per millisecond.
   */
  public List<Header> kafkaHeaders(OutboundRecord r, String topicType) {
    String type = type(r, topicType);
    Header[] fixed = constant.computeIfAbsent(new Kind(type, stage(r, type)), k -> new Header[] {
        new RecordHeader(SPECVERSION, bytes(VERSION)), new RecordHeader(TYPE, bytes(k.type())),
        new RecordHeader(SOURCE, bytes(source(k.stage()))), new RecordHeader(CONTENT_TYPE, bytes(JSON))});
    return Arrays.asList(fixed[0], new RecordHeader(ID, bytes(id(r))), fixed[1], fixed[2],
        new RecordHeader(TIME, time(clock.getAsLong())), fixed[3]);
  }

  private static String type(OutboundRecord r, String topicType) {
    return r.eventType() != null ? r.eventType() : topicType;
  }

  private static String stage(OutboundRecord r, String type) {
    return r.sourceStage() != null ? r.sourceStage() : EventTypes.writer(type);
  }

  private String source(String stage) {
    return "/argus/" + node + "/" + stage;
  }

  /**
   * The record's own id, else a fresh random (version 4) UUID. From {@link ThreadLocalRandom}, not
   * {@link UUID#randomUUID()}'s SecureRandom, which every ingest thread would share: an event id must be
   * unique within its source, not unguessable.
   */
  private static String id(OutboundRecord r) {
    if (r.eventId() != null) return r.eventId();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;               // version 4
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | Long.MIN_VALUE; // IETF variant
    return new UUID(msb, lsb).toString();
  }

  private byte[] time(long ms) {
    TimeText t = lastTime;
    if (t.ms() != ms) {
      t = new TimeText(ms, bytes(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(ms))));
      lastTime = t;
    }
    return t.utf8();
  }

  static byte[] bytes(String v) {
    return v.getBytes(StandardCharsets.UTF_8);
  }
}
