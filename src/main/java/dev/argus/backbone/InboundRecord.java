package dev.argus.backbone;

import io.vertx.core.buffer.Buffer;

/** A record as a stage receives it, whatever the backbone. {@code timestampMs} is the record's time. */
public record InboundRecord(String topic, int partition, long offset, String key, Buffer value, long timestampMs) {
  public String coordinates() {
    return topic + "-" + partition + "@" + offset;
  }
}
