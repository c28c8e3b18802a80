package dev.argus.backbone;

/** A record that can never be processed (undecodable, invalid): it belongs in the dead-letter topic. */
public final class PoisonRecordException extends RuntimeException {
  private final String reason;

  public PoisonRecordException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** A short, bounded code (it is a metric label): {@code undecodable}, {@code invalid}, {@code processing_error}. */
  public String reason() {
    return reason;
  }
}
