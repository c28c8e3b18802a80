package dev.argus.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A gateway with no token at all (the default): ingest and reads stay open, every reply carries a
 * request id and the page's protective headers, and the admin switch answers loopback clients only.
 */
class ProtectedModeIT {
  static Gateway gw;

  @BeforeAll
  static void start() throws Exception {
    gw = Gateway.start(Gateway.onTestKafka());
  }

  @AfterAll
  static void stop() throws Exception {
    if (gw != null) gw.close();
  }

  /** This machine's first non-loopback IPv4 address, if it has one: a client there is not on loopback. */
  private static Optional<String> outsideAddress() throws Exception {
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nif.isUp() || nif.isLoopback()) continue;
      for (InetAddress a : Collections.list(nif.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress()) return Optional.of(a.getHostAddress());
      }
    }
    return Optional.empty();
  }

  @Test
  void withoutTokensIngestAndReadsStayOpen() throws Exception {
    assertEquals(202, Http.post(gw.port, "/api/v1/detections", Http.frame("open-1")).statusCode());
    assertEquals(200, Http.get(gw.port, "/api/v1/cameras").statusCode());
    assertEquals(200, Http.get(gw.port, "/eventbus/info").statusCode());
  }

  @Test
  void withoutAnAdminTokenTheAdminSwitchAnswersLoopback() throws Exception {
    HttpResponse<String> r = Http.post(gw.port, "/api/v1/llm/keys/no-such-key/disable", null);
    assertNotEquals(403, r.statusCode(), r.body());
    assertNotEquals(401, r.statusCode(), r.body());
  }

  @Test
  void withoutAnAdminTokenTheAdminSwitchRefusesOtherMachinesAndSaysHowToSetOne() throws Exception {
    Optional<String> outside = outsideAddress();
    assumeTrue(outside.isPresent(), "this machine has no non-loopback address to call from");
    HttpResponse<String> r = Http.send(Gateway.HTTP, "POST", "http://" + outside.get() + ":" + gw.port
        + "/api/v1/llm/keys/no-such-key/disable", null);
    assertEquals(403, r.statusCode(), r.body());
    JsonObject body = new JsonObject(r.body());
    assertEquals("forbidden", body.getString("error"));
    assertTrue(body.getString("message").contains("ARGUS_ADMIN_TOKEN"), body.getString("message"));
  }

  @Test
  void aSaneIncomingRequestIdIsEchoedAndAppearsInTheError() throws Exception {
    HttpResponse<String> r = Http.get(gw.port, "/api/v1/nothing-here", "X-Request-Id", "client-id-42");
    assertEquals("client-id-42", r.headers().firstValue("X-Request-Id").orElseThrow());
    assertEquals("client-id-42", new JsonObject(r.body()).getString("request_id"));
  }

  @Test
  void anInsaneIncomingRequestIdIsReplacedByAFreshOne() throws Exception {
    HttpResponse<String> r = Http.get(gw.port, "/api/v1/alerts?limit=0", "X-Request-Id", "x".repeat(200));
    String id = r.headers().firstValue("X-Request-Id").orElseThrow();
    assertNotEquals("x".repeat(200), id);
    assertEquals(id, new JsonObject(r.body()).getString("request_id"));
  }

  @Test
  void everyRequestGetsAnIdEvenWithoutAskingAndEachADifferentOne() throws Exception {
    String a = Http.get(gw.port, "/health").headers().firstValue("X-Request-Id").orElseThrow();
    String b = Http.get(gw.port, "/health").headers().firstValue("X-Request-Id").orElseThrow();
    assertNotEquals(a, b);
  }

  @Test
  void thePageIsServedWithAPolicyThatAllowsNoInlineScriptAndNoFraming() throws Exception {
    HttpResponse<String> r = Http.get(gw.port, "/");
    assertEquals(200, r.statusCode());
    String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertTrue(csp.contains("script-src 'self'"), csp);
    assertFalse(csp.substring(csp.indexOf("script-src")).split(";")[0].contains("unsafe-inline"), csp);
    assertTrue(csp.contains("frame-ancestors 'none'"), csp);
    assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElseThrow());
    assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElseThrow());
  }

  @Test
  void thePageHasNoInlineScriptForThePolicyToBlock() throws Exception {
    String html = Http.get(gw.port, "/").body();
    Matcher m = Pattern.compile("(?s)<script([^>]*)>(.*?)</script>").matcher(html);
    int scripts = 0;
    while (m.find()) {
      scripts++;
      assertTrue(m.group(1).contains("src="), "inline script: " + m.group());
      assertTrue(m.group(2).isBlank(), "script with a body: " + m.group());
    }
    assertTrue(scripts > 0, "the page's scripts were not found");
    assertFalse(html.matches("(?s).*\\son[a-z]+=.*"), "inline event handler attribute in the page");
  }

  @Test
  void aBadRequestNeverCarriesAStackTrace() throws Exception {
    for (HttpResponse<String> r : new HttpResponse[] {
        Http.post(gw.port, "/api/v1/detections", "{\"camera_id\": [[[[["),
        Http.get(gw.port, "/api/v1/alerts?cursor=%00%ff"),
        Http.get(gw.port, "/api/v1/cameras/x/history?before=zz")}) {
      assertTrue(r.statusCode() < 500, r.body());
      assertFalse(r.body().contains("\tat ") || r.body().contains("Exception"), r.body());
    }
  }
}
