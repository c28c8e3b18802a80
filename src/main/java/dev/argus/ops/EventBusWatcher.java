package dev.argus.ops;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A receive-only client of the gateway's {@code /eventbus}: SockJS over its WebSocket transport
 * ({@code /eventbus/<server>/<session>/websocket}, frames {@code o}, {@code h}, {@code a[...]},
 * {@code c[...]}) carrying the Vert.x event-bus bridge protocol ({@code register}, {@code ping}), as the
 * browser client speaks it.
 */
public final class EventBusWatcher {
  private static final long PING_MS = 5000; // the bridge closes sockets that do not ping

  private final Vertx vertx;
  private final WebSocketClient client;
  private WebSocket ws;
  private long pinger = -1;

  private EventBusWatcher(Vertx vertx, WebSocketClient client) {
    this.vertx = vertx;
    this.client = client;
  }

  /** Connects, waits for the SockJS open frame, registers {@code addresses}; messages go to {@code onMessage}. */
  public static Future<EventBusWatcher> connect(Vertx vertx, PipelineTestOptions options, List<String> addresses,
                                                Consumer<JsonObject> onMessage) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(options.ssl()).setTrustAll(true)
        .setVerifyHost(false).setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 22));
    EventBusWatcher watcher = new EventBusWatcher(vertx, client);
    String path = options.url().getPath() + "/eventbus/" + ThreadLocalRandom.current().nextInt(100, 1000) + "/"
        + UUID.randomUUID().toString().substring(0, 8) + "/websocket";
    WebSocketConnectOptions connect = new WebSocketConnectOptions().setHost(options.url().getHost())
        .setPort(options.port()).setSsl(options.ssl()).setURI(path);
    Promise<EventBusWatcher> opened = Promise.promise();
    return client.connect(connect).compose(ws -> {
      watcher.ws = ws;
      ws.textMessageHandler(frame -> {
        if (frame.startsWith("o")) {
          addresses.forEach(a -> watcher.send(new JsonObject().put("type", "register").put("address", a)));
          watcher.pinger = vertx.setPeriodic(PING_MS, id -> watcher.send(new JsonObject().put("type", "ping")));
          opened.tryComplete(watcher);
        } else if (frame.startsWith("a")) {
          new JsonArray(frame.substring(1)).forEach(m -> onMessage.accept(new JsonObject((String) m)));
        } else if (frame.startsWith("c")) {
          opened.tryFail("the event bus closed the connection: " + frame.substring(1));
        }
      });
      ws.closeHandler(v -> opened.tryFail("the event bus closed the connection"));
      return opened.future();
    }).onFailure(err -> client.close());
  }

  private void send(JsonObject message) {
    ws.writeTextMessage(new JsonArray().add(message.encode()).encode());
  }

  public Future<Void> close() {
    if (pinger >= 0) vertx.cancelTimer(pinger);
    return (ws == null ? Future.<Void>succeededFuture() : ws.close()).transform(v -> client.close());
  }
}
