package dev.argus.aggregate;

/** The Redis key model (documented in the README). */
final class RedisKeys {
  private RedisKeys() {}

  static final String CAMERAS = "argus:cameras";
  static final String ALERTS = "argus:alerts";
  static final String ALERT_INDEX = "argus:alerts:index";
  static final String ALERT_PREFIX = "argus:alert:";

  static String camera(String id) {
    return "argus:camera:" + id;
  }

  static String history(String id) {
    return "argus:camera:" + id + ":history";
  }

  static String alert(String id) {
    return ALERT_PREFIX + id;
  }

  static String feedback(String taskId) {
    return "argus:feedback:" + taskId;
  }

  static String seen(String taskId) {
    return "argus:seen:" + taskId;
  }

  /** The alert engine's state of a camera (owner and state), see {@link RedisAlertStates}. */
  static String alertState(String cameraId) {
    return "argus:alertstate:" + cameraId;
  }

  /** Recent track positions of a camera (a capped stream), see {@link RedisTrackStore}. */
  static String tracks(String cameraId) {
    return "argus:camera:" + cameraId + ":tracks";
  }
}
