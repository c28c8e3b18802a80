import dev.argus.config.LlmKeySpec;
import dev.argus.demo.SimulatedLlmVerticle;
import dev.argus.demo.provider.ProviderModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The simulated provider in a JVM of its own, as a real provider runs on another machine: started by
 * {@code LlmBench} for its limit-model runs ({@code BENCH_LLM_PROVIDER=process}, the default there).
 * Why: in the benchmark's own JVM, every GC pause of the gateway (and its embedded broker) also stopped the
 * provider, so a call already on the wire was stamped on arrival only after the pause, while the next call was
 * stamped on time. On a bucket of one call that pair is a refusal that no pacing can avoid, and it is an
 * artefact: no provider shares its sender's heap. The provider's own arrival jitter stays a model setting
 * ({@code jitterMs}, which {@code hostile} uses).
 *
 * <p>Usage: {@code java -cp argus-gateway.jar bench/llm/ProviderProcess.java <spec.json> <port-file>}. The spec:
 * {@code {"keys": [{"id", "secret", "qps"}], "revoked": [secret], "medianMs", "sigma", "errorRate", "model",
 * "modelSpec"}}. Writes the bound port to {@code port-file} once listening, and exits when its parent does.
 */
public class ProviderProcess {
  public static void main(String[] args) throws Exception {
    JsonObject spec = new JsonObject(Files.readString(Path.of(args[0])));
    List<LlmKeySpec> keys = new ArrayList<>();
    for (Object o : spec.getJsonArray("keys")) {
      JsonObject k = (JsonObject) o;
      keys.add(new LlmKeySpec(k.getString("id"), k.getString("secret"), 1, k.getDouble("qps"), 0, 1, null, null));
    }
    List<String> revoked = new ArrayList<>();
    spec.getJsonArray("revoked").forEach(s -> revoked.add((String) s));
    ProviderModel model = spec.getString("model") == null ? ProviderModel.legacyModel()
        : ProviderModel.parse(spec.getString("model"), spec.getJsonObject("modelSpec"));
    Vertx vertx = Vertx.vertx();
    warmUp(vertx, Integer.parseInt(System.getenv().getOrDefault("BENCH_LLM_PROVIDER_WARM_S", "20")));
    SimulatedLlmVerticle sim = new SimulatedLlmVerticle(new SimulatedLlmVerticle.Options(0, keys, revoked,
        spec.getDouble("medianMs"), spec.getDouble("sigma"), spec.getDouble("errorRate"), 0.0, model));
    vertx.deployVerticle(sim).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    Path portFile = Path.of(args[1]);
    Path tmp = Path.of(args[1] + ".tmp");
    Files.writeString(tmp, String.valueOf(sim.actualPort()));
    Files.move(tmp, portFile); // whole or not at all: the parent polls for it
    ProcessHandle.current().parent().ifPresent(p -> p.onExit().join());
    System.exit(0);
  }

  /**
   * A fresh JVM compiles for its first seconds of load, and a provider that stamps arrivals late while it
   * compiles refuses the next call as early (measured: on a bucket of one, a refusal every three calls per key
   * for the first five seconds). Real providers are warm, so this one is too before it listens: a simulator of
   * its own (no limits) takes calls at about the run's rate for {@code seconds}, then goes away.
   */
  static void warmUp(Vertx vertx, int seconds) throws Exception {
    if (seconds <= 0) return;
    String secret = "sk-warm-0123456789abcdef";
    SimulatedLlmVerticle warm = new SimulatedLlmVerticle(new SimulatedLlmVerticle.Options(0,
        List.of(new LlmKeySpec("warm", secret, 1, 100_000, 0, 1, null, null)), List.of(), 5, 0.1, 0, 0.0,
        ProviderModel.legacyModel()));
    String id = vertx.deployVerticle(warm).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + warm.actualPort() + "/v1/chat/completions"))
        .header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"argus-sim-1\",\"messages\":[{\"role\":\"user\",\"content\":\"warm\"}]}"))
        .build();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<java.util.concurrent.CompletableFuture<?>> out = new ArrayList<>();
    while (System.nanoTime() < end) {
      for (int i = 0; i < 20; i++) out.add(http.sendAsync(req, java.net.http.HttpResponse.BodyHandlers.discarding()));
      Thread.sleep(100); // 200 calls a second
      out.removeIf(java.util.concurrent.CompletableFuture::isDone);
    }
    java.util.concurrent.CompletableFuture.allOf(out.toArray(new java.util.concurrent.CompletableFuture[0])).get(30, TimeUnit.SECONDS);
    vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
