package dev.argus.backbone;

/** A write the backbone could not take now; the edge turns it into 503 with {@code Retry-After}. */
public final class PublishException extends RuntimeException {
  public enum Kind { OVERLOADED, UNAVAILABLE }

  private final Kind kind;

  public PublishException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
