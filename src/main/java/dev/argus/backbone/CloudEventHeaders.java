package dev.argus.backbone;

import dev.argus.model.EventTypes;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

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
    String type = r.eventType() != null ? r.eventType() : topicType;
    String stage = r.sourceStage() != null ? r.sourceStage() : EventTypes.writer(type);
    Map<String, String> h = new LinkedHashMap<>();
    h.put(SPECVERSION, VERSION);
    h.put(ID, r.eventId() != null ? r.eventId() : UUID.randomUUID().toString());
    h.put(TYPE, type);
    h.put(SOURCE, "/argus/" + node + "/" + stage);
    h.put(TIME, DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(clock.getAsLong())));
    h.put(CONTENT_TYPE, JSON);
    return h;
  }

  static byte[] bytes(String v) {
    return v.getBytes(StandardCharsets.UTF_8);
  }
}
