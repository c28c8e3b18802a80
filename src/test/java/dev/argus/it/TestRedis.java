package dev.argus.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/** The real Redis the integration tests use; a missing one fails the test with what to start. */
final class TestRedis {
  private TestRedis() {}

  static String url() {
    String url = System.getenv().getOrDefault("ARGUS_REDIS_URL", "redis://127.0.0.1:6379");
    if (url.isBlank()) url = "redis://127.0.0.1:6379";
    URI uri = URI.create(url);
    int port = uri.getPort() > 0 ? uri.getPort() : 6379;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(uri.getHost(), port), 2000);
    } catch (IOException e) {
      throw new AssertionError("Redis is not reachable at " + url + " (" + e.getMessage() + "). Start one with "
          + "`redis-server --daemonize yes --port 6379 --save ''` (scripts/test.sh does this), "
          + "or point ARGUS_REDIS_URL at a running Redis.");
    }
    return url;
  }
}
