package dev.argus.llm;

import dev.argus.metrics.MetricsSetup;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dispatcher's timer on a real event loop. */
class EventLoopTimerTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = MetricsSetup.vertxBuilder(new VertxOptions(), MetricsSetup.newRegistry()).build();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aNanosecondWakeRunsOnTheDispatchersContextNotBeforeItsDelay() throws Exception {
    Context context = vertx.getOrCreateContext();
    EventLoopTimer timer = new EventLoopTimer(vertx, context);
    CompletableFuture<Context> ranOn = new CompletableFuture<>();
    long[] elapsed = new long[1];
    long delay = 700_000; // 0.7 ms: below Vert.x's whole-millisecond timers
    context.runOnContext(v -> {
      long scheduled = System.nanoTime();
      timer.scheduleNanos(delay, () -> {
        elapsed[0] = System.nanoTime() - scheduled;
        ranOn.complete(Vertx.currentContext());
      });
    });
    assertSame(context, ranOn.get(10, TimeUnit.SECONDS), "the action runs with the dispatcher's context current");
    assertTrue(elapsed[0] >= delay, "ran after " + elapsed[0] + " ns, before its delay of " + delay);
  }

  @Test
  void aWakePendingWhenTheTimerClosesDoesNotRun() throws Exception {
    Context context = vertx.getOrCreateContext();
    EventLoopTimer timer = new EventLoopTimer(vertx, context);
    AtomicBoolean closedOneRan = new AtomicBoolean();
    CompletableFuture<Void> later = new CompletableFuture<>();
    context.runOnContext(v -> {
      timer.scheduleNanos(5_000_000, () -> closedOneRan.set(true));
      timer.close();
      // a plain Vert.x timer well after the closed wake's deadline: by then it would have run
      vertx.setTimer(50, id -> later.complete(null));
    });
    later.get(10, TimeUnit.SECONDS);
    assertFalse(closedOneRan.get(), "the dispatcher stopped: its wake must not pump it");
  }

  @Test
  void aMillisecondTimerRunsOnTheContextToo() throws Exception {
    Context context = vertx.getOrCreateContext();
    EventLoopTimer timer = new EventLoopTimer(vertx, context);
    CompletableFuture<Context> ranOn = new CompletableFuture<>();
    context.runOnContext(v -> timer.schedule(2, () -> ranOn.complete(Vertx.currentContext())));
    assertSame(context, ranOn.get(10, TimeUnit.SECONDS));
  }
}
