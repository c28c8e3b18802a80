package dev.argus.model;

import java.util.List;

/**
 * One camera frame as a detector reported it. Built only by {@link FrameParser}, so every instance
 * is valid. {@code frameId} may be null (the producer did not send one); {@code timestampMs} is null
 * when the frame carried none (the Kafka record time stands in).
 */
public record Detection(String cameraId, String frameId, Long timestampMs, String modelType,
                        String imageUrl, List<DetectedObject> objects) {

  public long timestampOr(long fallbackMs) {
    return timestampMs != null ? timestampMs : fallbackMs;
  }
}
