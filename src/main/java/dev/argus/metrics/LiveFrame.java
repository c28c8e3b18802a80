package dev.argus.metrics;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * A live frame on {@code argus.detections}: the frame's bytes as the camera sent them (a {@link Buffer}), with
 * its camera in a header and the {@link LiveStamp} publish time in another. Ingest never builds a tree of a
 * frame for browsers: the SockJS bridge reads the camera from the header for its per-browser throttle and
 * decodes the bytes into the JSON object browsers get only for the frames it lets through (one in five at
 * 20 frames/s per camera and a 250 ms interval), after taking both headers out.
 */
public final class LiveFrame {
  public static final String CAMERA_HEADER = "argus-camera";

  private LiveFrame() {}

  /** Delivery options for one frame published at {@code stampMicros} (see {@link LiveStamp#nowMicros()}). */
  public static DeliveryOptions options(String cameraId, String stampMicros) {
    return new DeliveryOptions().addHeader(CAMERA_HEADER, cameraId).addHeader(LiveStamp.HEADER, stampMicros);
  }

  /** The camera header of a SockJS bridge message, removed from it; null when there is none. */
  public static String takeCamera(JsonObject rawMessage) {
    Object v = LiveStamp.takeHeader(rawMessage, CAMERA_HEADER);
    return v == null ? null : v.toString();
  }

  /**
   * Replaces a bridge message's body of frame bytes with the JSON object they encode (what browsers get);
   * false when the bytes are not a JSON object (never for a frame ingest accepted). A body that is already
   * an object is left as it is.
   */
  public static boolean decodeBody(JsonObject rawMessage) {
    Object body = rawMessage.getMap().get("body");
    if (!(body instanceof Buffer bytes)) return body instanceof JsonObject;
    try {
      rawMessage.put("body", new JsonObject(bytes));
      return true;
    } catch (DecodeException | ClassCastException e) {
      return false;
    }
  }
}
