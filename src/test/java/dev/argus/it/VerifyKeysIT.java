package dev.argus.it;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** `java -jar argus-gateway.jar verify-keys`: one request per key, a table, and an exit status. */
@ExtendWith(VertxExtension.class)
class VerifyKeysIT {
  static int port;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    TestLlmServer llm = new TestLlmServer();
    port = llm.start(vertx); // the extension closes vertx after the class
    llm.respond(c -> c.authorization().contains("sk-good") ? TestLlmServer.Reply.ok("{}")
        : c.authorization().contains("sk-busy") ? new TestLlmServer.Reply(429, null, Map.of("Retry-After", "1"))
        : new TestLlmServer.Reply(401, null));
  }

  record Run(int exit, String out) {}

  static Run verify(String keys, String baseUrl, int minUsable) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("java", "-jar", System.getProperty("argus.jar", "target/argus-gateway.jar"), "verify-keys")
        .redirectErrorStream(true);
    pb.environment().put("ARGUS_LLM_API_KEYS", keys);
    pb.environment().put("ARGUS_LLM_BASE_URL", baseUrl);
    pb.environment().put("ARGUS_LLM_KEYS_FILE", "");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Run(p.exitValue(), out);
  }

  @Test
  void printsOneRowPerKeyWithMaskedKeysAndSucceedsWhenEnoughWork() throws Exception {
    Run r = verify("good=sk-good-000000000001,busy=sk-busy-000000000002,revoked=sk-revoked-00000003",
        "http://127.0.0.1:" + port + "/v1", 1);
    assertEquals(0, r.exit(), r.out());
    assertTrue(r.out().matches("(?s).*good\\s+sk-…0001\\s+ok\\s+200.*"), r.out());
    assertTrue(r.out().matches("(?s).*busy\\s+sk-…0002\\s+rate_limited\\s+429.*"), r.out());
    assertTrue(r.out().matches("(?s).*revoked\\s+sk-…0003\\s+unauthorized\\s+401.*"), r.out());
    assertTrue(r.out().contains("2 of 3 key(s) usable"), r.out());
    assertFalse(r.out().contains("sk-good-0"), "a secret was printed");
  }

  @Test
  void failsWhenNoKeyWorksOrTheProviderIsUnreachable() throws Exception {
    Run revoked = verify("revoked=sk-revoked-00000003", "http://127.0.0.1:" + port + "/v1", 1);
    assertEquals(1, revoked.exit(), revoked.out());
    Run unreachable = verify("good=sk-good-000000000001", "http://127.0.0.1:" + Ports.free() + "/v1", 1);
    assertEquals(1, unreachable.exit(), unreachable.out());
    assertTrue(unreachable.out().contains("unreachable"), unreachable.out());
  }
}
