package dev.argus.http;

import java.util.Locale;

/**
 * Every error code the HTTP API answers with, and its status. The codes are part of the external
 * contract ({@code {"error": code, ...}}); 429 and 503 always carry {@code Retry-After}.
 */
public enum ErrorCode {
  VALIDATION_FAILED(400),
  UNAUTHORIZED(401),
  FORBIDDEN(403),
  NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  PAYLOAD_TOO_LARGE(413),
  UNSUPPORTED_MEDIA_TYPE(415),
  RATE_LIMITED(429),
  INTERNAL_ERROR(500),
  /** Writes: the backbone did not take or acknowledge the frames (or the gateway is draining). */
  BACKBONE_UNAVAILABLE(503),
  /** Reads: the result store (Redis) did not answer; frames are still taken meanwhile. */
  STORE_UNAVAILABLE(503),
  /** Too much work in flight (writes awaiting their ack, or the LLM dispatcher not answering). */
  OVERLOADED(503),
  /** The request line (path and query) is longer than the HTTP codec reads. */
  URI_TOO_LONG(414),
  /** The request's header block is larger than the HTTP codec reads. */
  HEADERS_TOO_LARGE(431),
  /** A Range header a static file cannot satisfy. */
  RANGE_NOT_SATISFIABLE(416);

  private final int status;

  ErrorCode(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** The code as it appears in replies and in the {@code reason} label of refused writes. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether a client should retry later: such answers carry {@code Retry-After}. */
  public boolean retryLater() {
    return status == 429 || status == 503;
  }
}
