package dev.argus.http;

import dev.argus.model.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ErrorCodeTest {

  @Test
  void theWireCodesAreTheContractsLowerCaseNames() {
    assertEquals(List.of("validation_failed", "unauthorized", "forbidden", "not_found", "method_not_allowed",
            "payload_too_large", "unsupported_media_type", "rate_limited", "internal_error",
            "backbone_unavailable", "store_unavailable", "overloaded", "uri_too_long", "headers_too_large", "range_not_satisfiable"),
        Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).toList());
  }

  @Test
  void onlyRateLimitsAndUnavailabilityAskForARetry() {
    List<ErrorCode> retry = Arrays.stream(ErrorCode.values()).filter(ErrorCode::retryLater).toList();
    assertEquals(List.of(ErrorCode.RATE_LIMITED, ErrorCode.BACKBONE_UNAVAILABLE, ErrorCode.STORE_UNAVAILABLE,
        ErrorCode.OVERLOADED), retry);
  }

  @Test
  void aStoreOutageIsNotABackboneOutage() {
    assertEquals(503, ErrorCode.STORE_UNAVAILABLE.status());
    assertNotEquals(ErrorCode.BACKBONE_UNAVAILABLE.wire(), ErrorCode.STORE_UNAVAILABLE.wire());
  }

  @Test
  void anErrorHasTheOneShape() {
    JsonObject json = ApiError.of(ErrorCode.NOT_FOUND, "no such camera").toJson();
    assertEquals(new JsonObject().put("error", "not_found").put("message", "no such camera")
        .put("details", new JsonArray()), json);
  }

  @Test
  void validationDetailsAreCappedSoAnAnswerStaysSmall() {
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < 5000; i++) errors.add(new FieldError(i, "camera_id", "is required"));
    ApiError e = ApiError.validation("too many", errors);
    assertEquals(400, e.status());
    assertEquals(ApiError.MAX_DETAILS, e.toJson().getJsonArray("details").size());
  }
}
