package dev.argus.backbone;

import io.vertx.core.buffer.Buffer;

/**
 * A record to produce: the key decides the partition (always the camera id in Argus). {@code eventId}
 * is the CloudEvents id when the record has a deterministic one (a task id, an alert id + status + count);
 * null gets a random UUID. {@code eventType} and {@code sourceStage} override what the topic implies
 * (null: derived from the topic); see {@link CloudEventHeaders}.
 */
public record OutboundRecord(String topic, String key, Buffer value, String eventId, String eventType, String sourceStage) {
  public OutboundRecord(String topic, String key, Buffer value) {
    this(topic, key, value, null, null, null);
  }

  public OutboundRecord(String topic, String key, Buffer value, String eventId) {
    this(topic, key, value, eventId, null, null);
  }
}
