package dev.argus.model;

import java.util.Map;

/**
 * The CloudEvents {@code type} of each kind of record Argus writes (the {@code ce_type} header), and the
 * stage that writes it by default (the last segment of {@code ce_source}, {@code /argus/<node>/<stage>}).
 */
public final class EventTypes {
  private EventTypes() {}

  public static final String DETECTION = "dev.argus.detection";
  public static final String TASK = "dev.argus.task";
  public static final String ASSESSMENT = "dev.argus.assessment";
  public static final String ALERT = "dev.argus.alert";
  public static final String DEAD_LETTER = "dev.argus.dead_letter";
  public static final String DATA_QUALITY = "dev.argus.data_quality";
  public static final String MODEL_METRICS = "dev.argus.model_metrics";
  /** A topic that is not configured (never expected; keeps the label set bounded). */
  public static final String UNKNOWN = "unknown";

  private static final Map<String, String> WRITER = Map.of(
      DETECTION, "ingest", TASK, "bridge", ASSESSMENT, "llm", ALERT, "aggregator",
      DEAD_LETTER, "backbone", DATA_QUALITY, "quality", MODEL_METRICS, "feedback");

  /** The stage that writes records of this type (for {@code ce_source}); {@code backbone} when unknown. */
  public static String writer(String type) {
    return WRITER.getOrDefault(type, "backbone");
  }
}
