package dev.argus.http;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** What the codec's refusals and a broken Content-Type are answered with. */
class MalformedRequestsTest {
  @Test
  void aTooLongRequestLineIs414AndATooLargeHeaderBlock431() {
    assertEquals(414, MalformedRequests.errorFor(DecoderResult.failure(new TooLongHttpLineException("line"))).status());
    assertEquals(431, MalformedRequests.errorFor(DecoderResult.failure(new TooLongHttpHeaderException("head"))).status());
  }

  @Test
  void anyOtherUnreadableRequestIsAValidationErrorWithoutTheCodecsWords() {
    ApiError e = MalformedRequests.errorFor(DecoderResult.failure(new IllegalArgumentException("invalid version format: HTTP/X")));
    assertEquals(ErrorCode.VALIDATION_FAILED, e.code());
    assertFalse(e.message().contains("invalid version format"), e.message());
    assertEquals(ErrorCode.VALIDATION_FAILED, MalformedRequests.errorFor(null).code());
  }

  @Test
  void aContentTypeWithAnUnclosedQuoteIsMalformed() {
    assertTrue(RequestShape.quotesBalanced("application/json"));
    assertTrue(RequestShape.quotesBalanced("multipart/form-data; boundary=\"a b\""));
    assertTrue(RequestShape.quotesBalanced("text/plain; x=\"a\\\"b\""));
    assertFalse(RequestShape.quotesBalanced("application/json; boundary=\""));
    assertFalse(RequestShape.quotesBalanced("text/plain; x=\"a\\\""));
  }
}
