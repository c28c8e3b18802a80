package dev.argus.backbone;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Handling a record until it is done: a transient failure is retried in place, a poison record is not. */
final class Retries {
  private Retries() {}

  /**
   * Runs {@code attempt} until it succeeds, fails with a {@link PoisonRecordException}, or
   * {@code giveUp} says to stop (then the last failure stands); {@code delayMs} between tries.
   */
  static Future<Object> untilDone(Vertx vertx, Supplier<Future<?>> attempt, long delayMs, BooleanSupplier giveUp) {
    Future<?> tried;
    try {
      tried = attempt.get();
    } catch (RuntimeException e) {
      tried = Future.failedFuture(e);
    }
    return tried.<Object>map(x -> x).recover(err -> err instanceof PoisonRecordException || giveUp.getAsBoolean()
        ? Future.failedFuture(err)
        : Future.<Void>future(p -> vertx.setTimer(delayMs, t -> p.complete()))
            .<Object>compose(v -> untilDone(vertx, attempt, delayMs, giveUp)));
  }
}
