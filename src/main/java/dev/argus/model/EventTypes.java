package dev.argus.model;

/**
 * The CloudEvents {@code type} of each kind of record on the backbone. Until records carry CloudEvents
 * headers, a record's type follows from the configured topic it is written to.
 */
public final class EventTypes {
  private EventTypes() {}

  public static final String DETECTION = "dev.argus.detection";
  public static final String TASK = "dev.argus.task";
  public static final String ASSESSMENT = "dev.argus.assessment";
  public static final String ALERT = "dev.argus.alert";
  public static final String DEAD_LETTER = "dev.argus.dead_letter";
  /** A topic that is not configured (never expected; keeps the label set bounded). */
  public static final String UNKNOWN = "unknown";
}
