package dev.argus.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * One focused case for each bug {@link HostileInputIT} found: each answered 500, a bare "Bad Request", no
 * answer at all, or a Java class name before its fix.
 */
class HostileRegressionIT {
  static Gateway gw;

  @BeforeAll
  static void start() throws Exception {
    gw = Gateway.start(Gateway.onTestKafka());
  }

  @AfterAll
  static void stop() throws Exception {
    if (gw != null) gw.close();
  }

  static RawHttp.Response send(String raw) throws Exception {
    try (RawHttp c = new RawHttp(gw.port, 20_000)) {
      return c.exchange(raw.getBytes(StandardCharsets.ISO_8859_1));
    }
  }

  static JsonObject assertError(RawHttp.Response r, int status, String code) {
    assertFalse(r.none(), "no response: " + r.failure());
    assertEquals(status, r.status(), r.bodyText());
    assertTrue(String.valueOf(r.header("content-type")).startsWith("application/json"), r.headers().toString());
    JsonObject e = new JsonObject(r.bodyText());
    assertEquals(code, e.getString("error"), r.bodyText());
    assertNotNull(e.getString("message"));
    assertNotNull(e.getJsonArray("details"));
    return e;
  }

  static String get(String target, String... headers) {
    StringBuilder b = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: x\r\n");
    for (String h : headers) b.append(h).append("\r\n");
    return b.append("\r\n").toString();
  }

  static String post(String path, String type, String body) {
    return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: " + type + "\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
  }

  @Test
  void aPathWithBrokenPercentEncodingIsAValidationError() throws Exception {
    for (String path : List.of("/api/v1/cameras/%ZZ", "/api/v1/cameras/%/x", "/api/v1/cameras/a%Of/history", "/%")) {
      assertError(send(get(path)), 400, "validation_failed");
    }
  }

  @Test
  void aQueryWithBrokenPercentEncodingIsAValidationError() throws Exception {
    for (String target : List.of("/api/v1/alerts?cursor=%zz", "/api/v1/alerts?limit=%", "/api/v1/cameras/a?x=%Z",
        "/api/v1/replay/x?%zz=1")) {
      assertError(send(get(target)), 400, "validation_failed");
    }
  }

  @Test
  void aTimestampTooLargeForEpochMillisecondsIsAValidationError() throws Exception {
    String frame = "{\"camera_id\":\"c\",\"timestamp\":\"+999999999-12-31T23:59:59Z\",\"detections\":[]}";
    JsonObject e = assertError(send(post("/api/v1/detections", "application/json", frame)), 400, "validation_failed");
    assertEquals("timestamp", e.getJsonArray("details").getJsonObject(0).getString("field"));
  }

  @Test
  void aNonNumericNumberIsRefusedWithoutNamingTheParsersSwitches() throws Exception {
    String frame = "{\"camera_id\":\"c\",\"frame_id\":-Infinity,\"detections\":[]}";
    JsonObject e = assertError(send(post("/api/v1/detections", "application/json", frame)), 400, "validation_failed");
    assertFalse(e.encode().contains("JsonReadFeature"), e.encode());
    assertFalse(e.encode().contains("`"), e.encode());
  }

  @Test
  void aContentTypeWithAnUnclosedQuoteIsAValidationError() throws Exception {
    String frame = "{\"camera_id\":\"c\",\"detections\":[]}";
    assertError(send(post("/api/v1/detections", "application/json; boundary=\"", frame)), 400, "validation_failed");
  }

  @Test
  void malformedRequestLinesAndHeadersAreAnsweredInTheErrorShape() throws Exception {
    assertError(send("G@T /health HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "validation_failed");
    assertError(send("GET /health\r\nHost: x\r\n\r\n"), 400, "validation_failed");
    assertError(send("GET /a b HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "validation_failed");
    assertError(send("POST /api/v1/detections HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}"), 400, "validation_failed");
    assertError(send(get("/api/v1/cameras/" + "a".repeat(5000))), 414, "uri_too_long");
    assertError(send(get("/health", "X-Big: " + "b".repeat(10_000))), 431, "headers_too_large");
  }

  @Test
  void aRangeThePageCannotSatisfyIsAnErrorInTheShape() throws Exception {
    assertError(send(get("/", "Range: bytes=999999999-")), 416, "range_not_satisfiable");
  }

  @Test
  void anH2cUpgradeRequestIsAnsweredOverHttp11() throws Exception {
    RawHttp.Response r = send(get("/health", "Connection: keep-alive, Upgrade", "Upgrade: h2c"));
    assertFalse(r.none(), "no answer: " + r.failure());
    assertEquals(200, r.status(), r.bodyText());
  }

  @Test
  void aWebSocketMessageLargerThan64KbInOneFrameIsTakenLikeAnyOther() throws Exception {
    StringBuilder d = new StringBuilder("[");
    for (int i = 0; i < 2000; i++) d.append(i == 0 ? "" : ",").append("{\"label\":\"person\",\"confidence\":0.5,\"bbox\":[0,0,9,9]}");
    String frame = "{\"camera_id\":\"big-ws\",\"frame_id\":1,\"detections\":" + d.append(']') + "}";
    assertTrue(frame.length() > 65536);
    try (RawWebSocket ws = new RawWebSocket(gw.port, "/api/v1/detections/ws", 20_000)) {
      assertEquals(101, ws.upgradeStatus);
      ws.text(frame);
      ws.text("{\"camera_id\":\"big-ws\",\"frame_id\":2,\"detections\":[]}");
      ws.flush();
      RawWebSocket.Frame first = ws.next();
      assertNotNull(first, "the connection was closed");
      assertEquals(new JsonObject().put("seq", 1).put("status", "accepted"), new JsonObject(first.text()));
      assertEquals(2, new JsonObject(ws.next().text()).getInteger("seq"));
    }
  }
}
