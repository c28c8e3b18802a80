package dev.argus.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A redis-server of the test's own, on its own port, with an append-only file so a restart keeps its data. */
final class ThrowawayRedis implements AutoCloseable {
  final int port;
  private final Path dir;
  private Process process;

  ThrowawayRedis(Path dir) {
    this.port = Ports.free();
    this.dir = dir;
  }

  String url() {
    return "redis://127.0.0.1:" + port;
  }

  void start() throws Exception {
    try {
      process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", dir.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    } catch (IOException e) {
      throw new AssertionError("redis-server is not installed: run scripts/test.sh (it installs it)", e);
    }
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("redis-server did not start on port " + port);
  }

  void stop() throws Exception {
    if (process == null) return;
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
    process = null;
  }

  @Override
  public void close() throws Exception {
    stop();
  }
}
