package dev.argus.llm;

/** The provider answered, but nothing in the answer is a usable assessment. */
public final class InvalidReplyException extends RuntimeException {
  public InvalidReplyException(String message) {
    super(message);
  }
}
