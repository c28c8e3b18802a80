package dev.argus.backbone;

import java.util.List;

/** A record that can never be processed (undecodable, invalid): it belongs in the dead-letter topic. */
public final class PoisonRecordException extends RuntimeException {
  /** The {@link #reason()} codes: not readable at all, readable but not valid, failed while processed. */
  public static final String UNDECODABLE = "undecodable";
  public static final String INVALID = "invalid";
  public static final String PROCESSING_ERROR = "processing_error";
  public static final List<String> REASONS = List.of(UNDECODABLE, INVALID, PROCESSING_ERROR);

  private final String reason;

  public PoisonRecordException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** A short, bounded code (it is a metric label): one of the constants above. */
  public String reason() {
    return reason;
  }
}
