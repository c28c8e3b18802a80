package dev.argus.it;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A chat-completions server inside the tests. By default it answers every call with a fixed
 * assessment; {@link #respond} scripts other answers. Every call's key and body is recorded.
 */
final class TestLlmServer {
  record Call(String authorization, JsonObject body) {}

  /** A scripted answer; status 0 means never answer (a hung call). */
  record Reply(int status, String content, java.util.Map<String, String> headers) {
    Reply(int status, String content) {
      this(status, content, java.util.Map.of());
    }

    static Reply ok(String content) {
      return new Reply(200, content);
    }

    static Reply hang() {
      return new Reply(0, null);
    }
  }

  static final String DEFAULT_CONTENT =
      "{\"risk_level\":\"high\",\"risk_score\":0.81,\"summary\":\"Person with a knife near the entrance.\",\"recommendations\":[\"Dispatch security\"]}";

  final List<Call> calls = new CopyOnWriteArrayList<>();
  private volatile Function<Call, Reply> responder = c -> Reply.ok(DEFAULT_CONTENT);
  private HttpServer server;

  int start(Vertx vertx) throws Exception {
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }

  long callsWith(String secret) {
    return calls.stream().filter(c -> ("Bearer " + secret).equals(c.authorization())).count();
  }

  void respond(Function<Call, Reply> responder) {
    this.responder = responder;
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(b -> {
      Call call = new Call(req.getHeader("Authorization"), b.toJsonObject());
      calls.add(call);
      Reply reply = responder.apply(call);
      if (reply.status() == 0) return;
      reply.headers().forEach((k, v) -> req.response().putHeader(k, v));
      JsonObject body = reply.status() == 200
          ? new JsonObject().put("choices", new JsonArray().add(new JsonObject()
              .put("message", new JsonObject().put("role", "assistant").put("content", reply.content()))))
          : new JsonObject().put("error", new JsonObject().put("message", "scripted " + reply.status()));
      req.response().setStatusCode(reply.status()).putHeader("Content-Type", "application/json").end(body.encode());
    });
  }
}
