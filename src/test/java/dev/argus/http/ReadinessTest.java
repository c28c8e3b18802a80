package dev.argus.http;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static dev.argus.http.Readiness.Status.*;
import static org.junit.jupiter.api.Assertions.*;

class ReadinessTest {
  private static final JsonObject UP_CHECK = new JsonObject().put("status", "UP");
  private static final JsonObject DOWN_CHECK = new JsonObject().put("status", "DOWN").put("error", "gone");

  @Test
  void everythingUpIsUpAnd200() {
    Readiness.Verdict v = Readiness.judge(UP_CHECK, UP_CHECK, UP_CHECK, false);
    assertEquals(UP, v.status());
    assertEquals(200, v.httpStatus());
  }

  @Test
  void aStoreOutageIsDegradedButStillReady() {
    Readiness.Verdict v = Readiness.judge(UP_CHECK, DOWN_CHECK, UP_CHECK, false);
    assertEquals(DEGRADED, v.status());
    assertEquals(200, v.httpStatus());
  }

  @Test
  void anLlmPoolOutageIsDegradedButStillReady() {
    Readiness.Verdict v = Readiness.judge(UP_CHECK, UP_CHECK, DOWN_CHECK, false);
    assertEquals(DEGRADED, v.status());
    assertEquals(200, v.httpStatus());
  }

  @Test
  void aNodeWithoutTheLlmRoleIsUpWithoutADispatcherOfItsOwn() {
    JsonObject notHere = new JsonObject().put("status", Readiness.NOT_ON_THIS_NODE);
    assertEquals(UP, Readiness.judge(UP_CHECK, UP_CHECK, notHere, false).status());
    assertEquals(DEGRADED, Readiness.judge(UP_CHECK, DOWN_CHECK, notHere, false).status());
    assertEquals(DOWN, Readiness.judge(DOWN_CHECK, UP_CHECK, notHere, false).status());
  }

  @Test
  void aBackboneOutageIsDownAnd503() {
    Readiness.Verdict v = Readiness.judge(DOWN_CHECK, UP_CHECK, UP_CHECK, false);
    assertEquals(DOWN, v.status());
    assertEquals(503, v.httpStatus());
  }

  @Test
  void aCheckWithoutAStatusCountsAsDown() {
    assertEquals(DEGRADED, Readiness.judge(UP_CHECK, new JsonObject(), UP_CHECK, false).status());
    assertEquals(DOWN, Readiness.judge(new JsonObject(), UP_CHECK, UP_CHECK, false).status());
  }

  @Test
  void drainingWinsEvenWhenEverythingIsUp() {
    Readiness.Verdict v = Readiness.judge(UP_CHECK, UP_CHECK, UP_CHECK, true);
    assertEquals(DRAINING, v.status());
    assertEquals(503, v.httpStatus());
  }

  @Test
  void theReplyCarriesTheStatusAndEveryCheckAsReported() {
    JsonObject body = Readiness.judge(UP_CHECK, DOWN_CHECK, UP_CHECK, false).toJson();
    assertEquals("DEGRADED", body.getString("status"));
    assertEquals(DOWN_CHECK, body.getJsonObject("checks").getJsonObject("store"));
    assertEquals(UP_CHECK, body.getJsonObject("checks").getJsonObject("backbone"));
    assertEquals(UP_CHECK, body.getJsonObject("checks").getJsonObject("llm"));
  }

  @Test
  void aNodeOutsideItsClusterIsDegradedAndTheCheckIsShown() {
    Readiness.Verdict v = Readiness.judge(UP_CHECK, UP_CHECK, UP_CHECK, DOWN_CHECK, false);
    assertEquals(Readiness.Status.DEGRADED, v.status());
    assertEquals(200, v.httpStatus());
    assertTrue(v.toJson().getJsonObject("checks").containsKey("cluster"));
    assertEquals(Readiness.Status.UP, Readiness.judge(UP_CHECK, UP_CHECK, UP_CHECK, UP_CHECK, false).status());
    assertEquals(Readiness.Status.DOWN, Readiness.judge(DOWN_CHECK, UP_CHECK, UP_CHECK, UP_CHECK, false).status());
  }
}
