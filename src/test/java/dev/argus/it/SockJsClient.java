package dev.argus.it;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.argus.it.Eventually.eventually;

/**
 * A SockJS client on the WebSocket transport ({@code /eventbus/<server>/<session>/websocket}), speaking
 * the Vert.x event-bus bridge protocol as the browser client does: frames {@code o}, {@code h},
 * {@code a[...]}, {@code c[...]}; messages {@code register}, {@code publish}, {@code send}.
 *
 * <p>The bridge never acknowledges a {@code register} to the client (vertx-web only raises
 * {@code BridgeEventType.REGISTERED} to the server's own hook), so {@link #register} proves the
 * registration the only way a client can: it publishes probe messages on the address, on the gateway's
 * own event bus, until one comes back through this socket. Probes never reach {@link #received}.
 */
final class SockJsClient implements AutoCloseable {
  /** The body field that marks a probe; no Argus payload has it. */
  private static final String PROBE = "argus_it_probe";

  final BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
  private final Set<String> probesSeen = ConcurrentHashMap.newKeySet();
  private final List<JsonObject> errors = new CopyOnWriteArrayList<>();
  private final Vertx vertx;
  private final WebSocketClient client;
  private final WebSocket ws;
  private final long pinger;

  /** {@code vertx} must be the gateway's own instance: registrations are proven by publishing on its bus. */
  SockJsClient(Vertx vertx, int port) throws Exception {
    this.vertx = vertx;
    client = vertx.createWebSocketClient();
    String uri = "/eventbus/" + (100 + (int) (Math.random() * 800)) + "/" + UUID.randomUUID().toString().substring(0, 8) + "/websocket";
    ws = client.connect(port, "127.0.0.1", uri).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    ws.textMessageHandler(this::onFrame);
    // The bridge closes a socket that sends no ping within its ping timeout; the browser client pings every 5 s too.
    pinger = vertx.setPeriodic(5000, id -> send(new JsonObject().put("type", "ping")));
  }

  private void onFrame(String frame) {
    if (!frame.startsWith("a")) return;
    for (Object raw : new JsonArray(frame.substring(1))) {
      JsonObject m = new JsonObject((String) raw);
      if (m.getValue("body") instanceof JsonObject body && body.containsKey(PROBE)) {
        probesSeen.add(body.getString(PROBE));
        continue;
      }
      if ("err".equals(m.getString("type"))) errors.add(m);
      received.add(m);
    }
  }

  void send(JsonObject message) {
    ws.writeTextMessage(new JsonArray().add(message.encode()).encode());
  }

  /**
   * Registers on {@code address} and returns once messages published there reach this client; fails at
   * once if the bridge answers the registration with an error (access_denied, for one).
   */
  void register(String address) {
    int errorsBefore = errors.size();
    send(new JsonObject().put("type", "register").put("address", address));
    String id = UUID.randomUUID().toString();
    JsonObject probe = new JsonObject().put(PROBE, id);
    eventually(Duration.ofSeconds(10), "the registration on " + address + " to deliver a probe published there",
        () -> {
          if (errors.size() > errorsBefore) throw new AssertionError("register " + address + " refused: " + errors.get(errorsBefore));
          if (probesSeen.contains(id)) return true;
          vertx.eventBus().publish(address, probe);
          return false;
        });
  }

  /** The next message delivered for {@code address} (or error), waiting up to {@code seconds}. */
  JsonObject next(String address, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() - deadline < 0) {
      JsonObject m = received.poll(100, TimeUnit.MILLISECONDS);
      if (m != null && (address == null || address.equals(m.getString("address")) || "err".equals(m.getString("type")))) {
        return m;
      }
    }
    return null;
  }

  @Override
  public void close() {
    vertx.cancelTimer(pinger);
    ws.close();
    client.close();
  }
}
