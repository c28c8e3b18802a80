package dev.argus.http;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Requests the HTTP codec could not read (a bad request line, a header block past 8 KB, a request line
 * past 4 KB, a header without a colon, a bad Content-Length...). Vert.x's default answers only the "too
 * long" cases, with an empty body, and silently closes the connection on every other one; this answers
 * all of them in the contract's error shape, then closes (the rest of the stream cannot be trusted).
 */
final class MalformedRequests {
  private MalformedRequests() {}

  static void answer(HttpServerRequest request) {
    ApiError error = errorFor(request.decoderResult());
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) return;
    response.setStatusCode(error.status()).putHeader("Content-Type", "application/json").putHeader("Connection", "close")
        .end(error.toJson().toBuffer());
  }

  static ApiError errorFor(DecoderResult result) {
    Throwable cause = result == null ? null : result.cause();
    if (cause instanceof TooLongHttpLineException) {
      return ApiError.of(ErrorCode.URI_TOO_LONG, "the request line is too long; send shorter paths and query strings");
    }
    if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
      return ApiError.of(ErrorCode.HEADERS_TOO_LARGE, "the request headers are too large");
    }
    return ApiError.of(ErrorCode.VALIDATION_FAILED,
        "the request is not valid HTTP/1.1 (request line, headers, Content-Length or chunked framing)");
  }
}
