package dev.argus.it;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A SockJS client on the WebSocket transport ({@code /eventbus/<server>/<session>/websocket}), speaking
 * the Vert.x event-bus bridge protocol as the browser client does: frames {@code o}, {@code h},
 * {@code a[...]}, {@code c[...]}; messages {@code register}, {@code publish}, {@code send}.
 */
final class SockJsClient implements AutoCloseable {
  final BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
  private final WebSocketClient client;
  private final WebSocket ws;

  SockJsClient(Vertx vertx, int port) throws Exception {
    client = vertx.createWebSocketClient();
    String uri = "/eventbus/" + (100 + (int) (Math.random() * 800)) + "/" + UUID.randomUUID().toString().substring(0, 8) + "/websocket";
    ws = client.connect(port, "127.0.0.1", uri).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    ws.textMessageHandler(this::onFrame);
  }

  private void onFrame(String frame) {
    if (frame.startsWith("a")) {
      new JsonArray(frame.substring(1)).forEach(m -> received.add(new JsonObject((String) m)));
    }
  }

  void send(JsonObject message) {
    ws.writeTextMessage(new JsonArray().add(message.encode()).encode());
  }

  void register(String address) {
    send(new JsonObject().put("type", "register").put("address", address));
  }

  /** The next message delivered for {@code address} (or error), waiting up to {@code seconds}. */
  JsonObject next(String address, long seconds) throws InterruptedException {
    long deadline = System.currentTimeMillis() + seconds * 1000;
    while (System.currentTimeMillis() < deadline) {
      JsonObject m = received.poll(100, TimeUnit.MILLISECONDS);
      if (m != null && (address == null || address.equals(m.getString("address")) || "err".equals(m.getString("type")))) {
        return m;
      }
    }
    return null;
  }

  @Override
  public void close() {
    ws.close();
    client.close();
  }
}
