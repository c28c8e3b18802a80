package dev.argus.metrics;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The publish time of a live message (argus.detections, argus.assessments), carried in one event-bus header so
 * the SockJS bridge can time the {@code live_push} stage when it hands the message to a browser. Epoch
 * microseconds, not nanoTime: on a clustered bus the publisher may be another node. The bridge strips the
 * header before the message goes out, so browsers see the payload as before.
 */
public final class LiveStamp {
  public static final String HEADER = "argus-published-us";

  private LiveStamp() {}

  /** Delivery options stamped with now. */
  public static DeliveryOptions now() {
    return new DeliveryOptions().addHeader(HEADER, nowMicros());
  }

  /** Now as the header's value (epoch microseconds). */
  public static String nowMicros() {
    return Long.toString(micros(Instant.now()));
  }

  static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  /**
   * The stamp in a SockJS bridge message ({@code {"headers": {...}}}), removed from it (the whole
   * {@code headers} object when it held nothing else); -1 when there is none or it is not a number.
   */
  public static long take(JsonObject rawMessage) {
    Object v = takeHeader(rawMessage, HEADER);
    if (v == null) return -1;
    try {
      return Long.parseLong(v.toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * One header of a SockJS bridge message, removed from it (the whole {@code headers} object when it held
   * nothing else); null when there is none.
   */
  static Object takeHeader(JsonObject rawMessage, String name) {
    JsonObject headers = rawMessage == null ? null : rawMessage.getJsonObject("headers");
    if (headers == null) return null;
    Object v = headers.remove(name);
    if (headers.isEmpty()) rawMessage.remove("headers");
    return v;
  }

  /** Nanoseconds from the stamp to {@code now}; never negative. */
  public static long nanosSince(long stampMicros, Instant now) {
    return Math.max(0, (micros(now) - stampMicros) * 1000);
  }
}
