package dev.argus.backbone;

import io.vertx.core.buffer.Buffer;

/** A record to produce: the key decides the partition (always the camera id in Argus). */
public record OutboundRecord(String topic, String key, Buffer value) {}
