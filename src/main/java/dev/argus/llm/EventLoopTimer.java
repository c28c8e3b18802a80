package dev.argus.llm;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

import java.util.concurrent.TimeUnit;

/**
 * The dispatcher's timers on its own event loop. Vert.x's timers take whole milliseconds; the key pool's wake-up
 * goes to the event loop's scheduler in nanoseconds instead: a key without burst (a provider bucket of one call)
 * loses for good whatever its call is late by, and the wake-up rounded up to the millisecond, which the NIO
 * selector then rounds up again, put the calls 0.4–1.1 ms behind their 100 ms spacing. The selector's own
 * rounding remains (on Netty's epoll transport it would not: tried, see bench/results/llm-limits-2026-12-03.md).
 */
final class EventLoopTimer implements Dispatcher.Timer {
  private final Vertx vertx;
  private final Context context;
  private volatile boolean closed;

  EventLoopTimer(Vertx vertx, Context context) {
    this.vertx = vertx;
    this.context = context;
  }

  /** Actions still pending run no more: the dispatcher stopped (the event loop's scheduler is not the verticle's). */
  void close() {
    closed = true;
  }

  @Override
  public void schedule(long delayMs, Runnable action) {
    vertx.setTimer(delayMs, id -> {
      if (!closed) action.run();
    });
  }

  @Override
  public void scheduleNanos(long delayNanos, Runnable action) {
    if (context instanceof ContextInternal internal && internal.isEventLoopContext()) {
      // Back on the context (not bare on the loop): the action runs with the verticle's context current.
      internal.nettyEventLoop().schedule(() -> internal.runOnContext(v -> {
        if (!closed) action.run();
      }), delayNanos, TimeUnit.NANOSECONDS);
    } else {
      Dispatcher.Timer.super.scheduleNanos(delayNanos, action);
    }
  }
}
