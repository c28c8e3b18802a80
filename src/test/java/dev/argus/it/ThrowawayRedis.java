package dev.argus.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.argus.it.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A redis-server of the test's own, on its own port, with an append-only file so a restart keeps its data. */
final class ThrowawayRedis implements AutoCloseable {
  final int port;
  private final Path dir;
  private final String password;
  /** PEM certificate and key for a TLS-only listener (rediss://), or null for plain TCP. */
  private Path tlsCert, tlsKey;
  private Process process;

  ThrowawayRedis(Path dir) {
    this(dir, "");
  }

  /** @param password what clients must AUTH with ({@code requirepass}); empty for none */
  ThrowawayRedis(Path dir, String password) {
    this.port = Ports.free();
    this.dir = dir;
    this.password = password;
  }

  /** Serve TLS only on {@link #port}, with this PEM certificate and key (call before {@link #start()}). */
  ThrowawayRedis tls(Path cert, Path key) {
    this.tlsCert = cert;
    this.tlsKey = key;
    return this;
  }

  String url() {
    return (tlsCert == null ? "redis://" : "rediss://") + "127.0.0.1:" + port;
  }

  void start() throws Exception {
    try {
      List<String> cmd = new ArrayList<>(List.of("redis-server", "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", dir.toString()));
      if (tlsCert == null) {
        cmd.addAll(List.of("--port", String.valueOf(port)));
      } else {
        cmd.addAll(List.of("--port", "0", "--tls-port", String.valueOf(port), "--tls-cert-file", tlsCert.toString(),
            "--tls-key-file", tlsKey.toString(), "--tls-ca-cert-file", tlsCert.toString(), "--tls-auth-clients", "no"));
      }
      if (!password.isEmpty()) cmd.addAll(List.of("--requirepass", password));
      process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    } catch (IOException e) {
      throw new AssertionError("redis-server is not installed: run scripts/test.sh (it installs it)", e);
    }
    eventually(Duration.ofSeconds(10), "redis-server listening on port " + port, () -> {
      assertTrue(process.isAlive(), "redis-server exited; see " + dir.resolve("redis.log"));
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return true;
      } catch (IOException notYet) {
        return false;
      }
    });
  }

  void stop() throws Exception {
    if (process == null) return;
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
    process = null;
  }

  /** SIGKILL: no shutdown save; what the append-only file had synced is what a restart finds. */
  void kill() throws Exception {
    if (process == null) return;
    process.destroyForcibly();
    assertTrue(process.waitFor(10, TimeUnit.SECONDS), "redis-server did not die");
    process = null;
  }

  @Override
  public void close() throws Exception {
    stop();
  }
}
