import dev.argus.config.LlmKeySpec;
import dev.argus.demo.SimulatedLlmVerticle;
import io.vertx.core.Vertx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster benchmark's simulated LLM provider, shared by every node:
 * {@code java -cp argus-gateway.jar bench/cluster/Provider.java <port> <keys> <qps> <keys.yaml>}.
 * Writes the key file the nodes load (the same keys, each at {@code qps}), then serves the
 * OpenAI-compatible API and its counters ({@code GET /v1/stats}: admitted and 429s per key) until killed.
 */
public class Provider {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int keys = Integer.parseInt(args[1]);
    int qps = Integer.parseInt(args[2]);
    List<LlmKeySpec> specs = new ArrayList<>();
    StringBuilder yaml = new StringBuilder("keys:\n");
    for (int i = 1; i <= keys; i++) {
      String id = String.format("bench-%02d", i);
      String secret = String.format("sk-bench-cluster-%04d", i);
      specs.add(new LlmKeySpec(id, secret, 1, qps, qps * 60, 1, null, null));
      yaml.append("  - id: ").append(id).append("\n    api_key: \"").append(secret)
          .append("\"\n    qps_limit: ").append(qps).append("\n    rpm_limit: ").append(qps * 60).append('\n');
    }
    Files.writeString(Path.of(args[3]), yaml.toString());
    // 300 ms median latency, no injected errors: the figures are about the limits alone.
    Vertx.vertx().deployVerticle(new SimulatedLlmVerticle(new SimulatedLlmVerticle.Options(port, specs, List.of(), 300, 0.3, 0, 0)))
        .onSuccess(id -> System.out.println("provider ready on " + port))
        .onFailure(err -> {
          err.printStackTrace();
          System.exit(1);
        });
  }
}
