package dev.argus.http;

import dev.argus.metrics.LiveFrame;
import dev.argus.metrics.LiveStamp;
import dev.argus.metrics.StageTimers;
import dev.argus.model.BusAddresses;
import dev.argus.model.MetricNames;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The SockJS event-bus bridge at {@code /eventbus}: outbound only, to the listed addresses. Live
 * frames reach each browser at most once per camera per interval; everything else passes.
 */
final class BridgeRoutes {
  /** Browsers only register and ping (nothing inbound is permitted), so their posts are small. */
  private static final int MAX_POST_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final long frameIntervalMs;
  private final LongSupplier clock;
  private final Map<SockJSSocket, PerKeyThrottle> throttles = new ConcurrentHashMap<>();
  private final StageTimers stages;

  BridgeRoutes(Vertx vertx, long frameIntervalMs, LongSupplier clock, StageTimers stages) {
    this.vertx = vertx;
    this.frameIntervalMs = frameIntervalMs;
    this.clock = clock;
    this.stages = stages;
  }

  void mount(Router router) {
    SockJSBridgeOptions options = new SockJSBridgeOptions().setPingTimeout(30_000);
    // Explicit addresses only (an empty PermittedOptions would match everything); no inbound entry at all,
    // so every publish or send from a browser is refused with access_denied.
    for (String address : BusAddresses.BROWSER_OUTBOUND) {
      options.addOutboundPermitted(new PermittedOptions().setAddress(address));
    }
    // The XHR transports, SockJS's fallback when a WebSocket cannot connect, read their posts through a
    // BodyHandler; without one every xhr_send fails with 500 and the page never connects.
    router.post("/eventbus/*").handler(BodyHandler.create(false).setBodyLimit(MAX_POST_BYTES));
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx).bridge(options, this::onBridgeEvent));
  }

  private void onBridgeEvent(BridgeEvent event) {
    if (event.type() == BridgeEventType.SOCKET_CLOSED) {
      throttles.remove(event.socket());
    } else if (event.type() == BridgeEventType.RECEIVE) {
      // The live publishers' stamp: taken out of the message here (the bridge writes this same object to the
      // socket once the event completes), so browsers get the payload as before.
      JsonObject raw = event.getRawMessage();
      long stamp = LiveStamp.take(raw);
      boolean pass = true;
      if (BusAddresses.DETECTIONS.equals(raw.getString("address"))) {
        String camera = LiveFrame.takeCamera(raw);
        if (frameIntervalMs > 0) {
          PerKeyThrottle t = throttles.computeIfAbsent(event.socket(), s -> new PerKeyThrottle(frameIntervalMs));
          pass = t.allow(camera == null ? "" : camera, clock.getAsLong());
        }
        // Decoded only once it passed: the bytes become the JSON object the browser gets.
        pass = pass && LiveFrame.decodeBody(raw);
      }
      if (pass && stamp >= 0) stages.record(MetricNames.StageTimes.LIVE_PUSH, LiveStamp.nanosSince(stamp, Instant.now()));
      event.complete(pass);
      return;
    }
    event.complete(true);
  }
}
