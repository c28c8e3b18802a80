package dev.argus.it;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A hostile chat-completions provider: per call, a scripted {@link Fault} decides whether it answers well,
 * hangs, fails with a 5xx, answers something that is not a chat completion, trickles its body slower than
 * any deadline, or resets the connection halfway through the reply (SO_LINGER 0: a close is a TCP RST).
 */
final class ChaosLlmServer {
  enum Fault { OK, HANG, SERVER_ERROR, BAD_JSON, WRONG_SHAPE, EMPTY_BODY, TRICKLE, RESET }

  static final String CONTENT =
      "{\"risk_level\":\"high\",\"risk_score\":0.8,\"summary\":\"A person with a knife.\",\"recommendations\":[\"Call security\"]}";

  /** What each key (by its secret) was answered, counted. */
  final Map<String, Map<Fault, AtomicLong>> calls = new ConcurrentHashMap<>();
  private volatile Function<String, Fault> script = secret -> Fault.OK;
  private Vertx vertx;
  private HttpServer server;

  int start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    server = vertx.createHttpServer(new HttpServerOptions().setSoLinger(0)).requestHandler(this::handle);
    return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }

  /** @param script the fault for a call, given the key's secret */
  void script(Function<String, Fault> script) {
    this.script = script;
  }

  long count(String secret, Fault f) {
    Map<Fault, AtomicLong> m = calls.get(secret);
    return m == null || !m.containsKey(f) ? 0 : m.get(f).get();
  }

  long total(String secret) {
    Map<Fault, AtomicLong> m = calls.get(secret);
    return m == null ? 0 : m.values().stream().mapToLong(AtomicLong::get).sum();
  }

  static String completion(String content) {
    return new JsonObject().put("id", "chatcmpl-chaos").put("choices", new JsonArray().add(new JsonObject()
        .put("index", 0).put("message", new JsonObject().put("role", "assistant").put("content", content)))).encode();
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(b -> {
      String auth = req.getHeader("Authorization");
      String secret = auth == null ? "" : auth.replaceFirst("^Bearer ", "");
      Fault fault = script.apply(secret);
      calls.computeIfAbsent(secret, s -> new ConcurrentHashMap<>()).computeIfAbsent(fault, f -> new AtomicLong()).incrementAndGet();
      HttpServerResponse r = req.response();
      switch (fault) {
        case OK -> json(r, 200, completion(CONTENT));
        case HANG -> { } // never answers; the connection stays open
        case SERVER_ERROR -> json(r, 500 + (int) (Math.random() * 4), "{\"error\":{\"message\":\"chaos\",\"type\":\"server_error\"}}");
        case BAD_JSON -> json(r, 200, "{\"choices\":[{\"message\":{\"content\":\"{risk_level: high,");
        case WRONG_SHAPE -> json(r, 200, Math.random() < 0.5 ? "{\"result\":\"fine\"}" : completion("I cannot help with that."));
        case EMPTY_BODY -> json(r, 200, "");
        case TRICKLE -> trickle(r, completion(CONTENT));
        case RESET -> {
          String body = completion(CONTENT);
          r.setStatusCode(200).putHeader("Content-Type", "application/json").setChunked(true);
          r.write(body.substring(0, body.length() / 2)).onComplete(x -> vertx.setTimer(50, t -> req.connection().close()));
        }
      }
    });
  }

  private static void json(HttpServerResponse r, int status, String body) {
    r.setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }

  /** One byte every 200 ms: the whole reply would take minutes. */
  private void trickle(HttpServerResponse r, String body) {
    r.setStatusCode(200).putHeader("Content-Type", "application/json").setChunked(true);
    AtomicLong at = new AtomicLong();
    vertx.setPeriodic(200, id -> {
      int i = (int) at.getAndIncrement();
      if (r.closed() || i >= body.length()) {
        vertx.cancelTimer(id);
        if (!r.closed() && !r.ended()) r.end();
        return;
      }
      r.write(Buffer.buffer(body.substring(i, i + 1)));
    });
  }

  void close() {
    if (server != null) server.close();
  }
}
