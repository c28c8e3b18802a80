package dev.argus.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Producer, viewer and admin tokens over real HTTP, WebSocket and SockJS, on a gateway that has all three. */
class AccessControlIT {
  static final String DOCK = "dock-producer-token";
  static final String ANY = "any-camera-token-1";
  static final String SLOW = "slow-producer-token";
  static final String VIEWER = "viewer-token-123456";
  static final String ADMIN = "admin-token-123456";
  static Gateway gw;

  @BeforeAll
  static void start() throws Exception {
    gw = Gateway.start(Gateway.onTestKafka().put("http", new JsonObject()
        .put("ingestTokens", DOCK + ":dock-|yard-," + ANY + "," + SLOW + "::1")
        .put("viewerToken", VIEWER).put("adminToken", ADMIN)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (gw != null) gw.close();
  }

  private static JsonObject error(HttpResponse<String> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.body());
    JsonObject body = new JsonObject(r.body());
    assertEquals(code, body.getString("error"));
    assertNotNull(body.getString("message"));
    assertNotNull(body.getJsonArray("details"));
    assertEquals(r.headers().firstValue("X-Request-Id").orElseThrow(), body.getString("request_id"));
    return body;
  }

  @Test
  void ingestWithoutATokenIsUnauthorized() throws Exception {
    error(Http.post(gw.port, "/api/v1/detections", Http.frame("dock-1")), 401, "unauthorized");
  }

  @Test
  void ingestWithAnUnknownTokenIsUnauthorized() throws Exception {
    error(Http.post(gw.port, "/api/v1/detections", Http.frame("dock-1"), "Authorization", "Bearer not-a-token-x"),
        401, "unauthorized");
  }

  @Test
  void aTokenPostsForTheCamerasItsPrefixesAllow() throws Exception {
    HttpResponse<String> r = Http.post(gw.port, "/api/v1/detections",
        "[" + Http.frame("dock-1") + "," + Http.frame("yard-2") + "]", "Authorization", "Bearer " + DOCK);
    assertEquals(202, r.statusCode(), r.body());
  }

  @Test
  void aFrameForAnotherCameraIsForbiddenAndNamedByIndex() throws Exception {
    HttpResponse<String> r = Http.post(gw.port, "/api/v1/detections",
        "[" + Http.frame("dock-1") + "," + Http.frame("gate-9") + "]", "Authorization", "Bearer " + DOCK);
    JsonObject body = error(r, 403, "forbidden");
    assertEquals(1, body.getJsonArray("details").size());
    JsonObject d = body.getJsonArray("details").getJsonObject(0);
    assertEquals(1, d.getInteger("index"));
    assertTrue(d.getString("message").contains("gate-9"), d.encode());
  }

  @Test
  void aTokenAboveItsOwnRateIsRateLimitedWithRetryAfter() throws Exception {
    // One frame a second: 50 posts in a row can only all pass if each one takes over a second.
    HttpResponse<String> limited = null;
    for (int i = 0; i < 50 && limited == null; i++) {
      HttpResponse<String> r = Http.post(gw.port, "/api/v1/detections", Http.frame("slow-" + i), "Authorization", "Bearer " + SLOW);
      if (r.statusCode() == 429) limited = r;
      else assertEquals(202, r.statusCode(), r.body());
    }
    assertNotNull(limited, "no 429 in 50 posts at 1 frame/s");
    error(limited, 429, "rate_limited");
    assertTrue(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow()) >= 1);
  }

  @Test
  void aBatchLargerThanTheTokensRateIsRateLimitedAndSaysToSendSmallerBatches() throws Exception {
    HttpResponse<String> r = Http.post(gw.port, "/api/v1/detections", "[" + Http.frame("slow-a") + "," + Http.frame("slow-b") + "]",
        "Authorization", "Bearer " + SLOW);
    assertTrue(error(r, 429, "rate_limited").getString("message").contains("smaller batches"), r.body());
    assertTrue(r.headers().firstValue("Retry-After").isPresent());
  }

  @Test
  void webSocketIngestWithoutATokenIsRefusedBeforeTheUpgrade() {
    CompletionException e = assertThrows(CompletionException.class, () -> Gateway.HTTP.newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + gw.port + "/api/v1/detections/ws"), new Collect()).join());
    assertEquals(401, ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
  }

  @Test
  void webSocketIngestTakesTheTokenAsAQueryParameterAndChecksEachFramesCamera() throws Exception {
    Collect answers = new Collect();
    WebSocket ws = Gateway.HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + gw.port
        + "/api/v1/detections/ws?access_token=" + DOCK), answers).get(30, TimeUnit.SECONDS);
    ws.sendText(Http.frame("dock-ws"), true).get(10, TimeUnit.SECONDS);
    assertEquals("accepted", answers.next().getString("status"));
    ws.sendText(Http.frame("gate-ws"), true).get(10, TimeUnit.SECONDS);
    JsonObject refused = answers.next();
    assertEquals("forbidden", refused.getString("error"), refused.encode());
    assertEquals(2, refused.getInteger("seq"));
    ws.abort();
  }

  @Test
  void webSocketIngestTakesTheBearerHeader() throws Exception {
    Collect answers = new Collect();
    WebSocket ws = Gateway.HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + ANY)
        .buildAsync(URI.create("ws://127.0.0.1:" + gw.port + "/api/v1/detections/ws"), answers).get(30, TimeUnit.SECONDS);
    ws.sendText(Http.frame("gate-ws2"), true).get(10, TimeUnit.SECONDS);
    assertEquals("accepted", answers.next().getString("status"));
    ws.abort();
  }

  @Test
  void theReadApiNeedsTheViewerToken() throws Exception {
    error(Http.get(gw.port, "/api/v1/cameras"), 401, "unauthorized");
    error(Http.get(gw.port, "/api/v1/alerts"), 401, "unauthorized");
    error(Http.get(gw.port, "/api/v1/cameras/dock-1/history"), 401, "unauthorized");
    error(Http.get(gw.port, "/api/v1/llm/keys"), 401, "unauthorized");
    assertEquals(200, Http.get(gw.port, "/api/v1/cameras", "Authorization", "Bearer " + VIEWER).statusCode());
    assertEquals(200, Http.get(gw.port, "/api/v1/llm/keys", "Authorization", "Bearer " + VIEWER).statusCode());
  }

  @Test
  void aProducerTokenDoesNotRead() throws Exception {
    error(Http.get(gw.port, "/api/v1/cameras", "Authorization", "Bearer " + ANY), 401, "unauthorized");
  }

  @Test
  void theAdminTokenReadsToo() throws Exception {
    assertEquals(200, Http.get(gw.port, "/api/v1/alerts", "Authorization", "Bearer " + ADMIN).statusCode());
  }

  @Test
  void theEventBusBridgeNeedsTheViewerTokenAsAQueryParameter() throws Exception {
    assertEquals(401, Http.get(gw.port, "/eventbus/info").statusCode());
    assertEquals(200, Http.get(gw.port, "/eventbus/info?access_token=" + VIEWER).statusCode());
  }

  @Test
  void metricsArePublicByDefault() throws Exception {
    assertEquals(200, Http.get(gw.port, "/metrics").statusCode());
  }

  @Test
  void thePageLoadsWithoutATokenSoItCanAskForOne() throws Exception {
    HttpResponse<String> r = Http.get(gw.port, "/index.html");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("js/main.js"));
  }

  @Test
  void theAdminSwitchWantsTheAdminTokenEvenFromLoopback() throws Exception {
    error(Http.post(gw.port, "/api/v1/llm/keys/k1/disable", null, "Authorization", "Bearer " + VIEWER), 401, "unauthorized");
    HttpResponse<String> r = Http.post(gw.port, "/api/v1/llm/keys/no-such-key/disable", null, "Authorization", "Bearer " + ADMIN);
    assertNotEquals(401, r.statusCode(), r.body());
    assertNotEquals(403, r.statusCode(), r.body());
  }

  /** The answers of a WebSocket, one JSON object per text message. */
  static final class Collect implements WebSocket.Listener {
    private final BlockingQueue<JsonObject> answers = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        answers.add(new JsonObject(partial.toString()));
        partial.setLength(0);
      }
      ws.request(1);
      return CompletableFuture.completedFuture(null);
    }

    JsonObject next() throws InterruptedException {
      JsonObject a = answers.poll(30, TimeUnit.SECONDS);
      assertNotNull(a, "no answer within 30 s");
      return a;
    }
  }
}
