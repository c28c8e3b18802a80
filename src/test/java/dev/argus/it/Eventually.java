package dev.argus.it;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits on observable state instead of the clock: polls a value until it satisfies a condition, or fails
 * once the deadline passes with what was awaited and the last value observed. The deadline only bounds a
 * failure; a passing test never waits longer than the state takes to change.
 */
public final class Eventually {
  private static final long POLL_MS = 50;

  private Eventually() {}

  /**
   * The first value of {@code value} that satisfies {@code holds}. A value that throws counts as not yet
   * (a server still starting, a connection refused); the exception is shown if it was the last observed.
   */
  public static <T> T eventually(Duration timeout, String what, Supplier<T> value, Predicate<? super T> holds) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Object last = "(nothing observed)";
    while (true) {
      try {
        T v = value.get();
        if (holds.test(v)) return v;
        last = v;
      } catch (RuntimeException e) {
        last = e;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
            + "; last observed: " + last, last instanceof Throwable t ? t : null);
      }
      pause();
    }
  }

  /** Waits until {@code condition} holds. */
  public static void eventually(Duration timeout, String what, BooleanSupplier condition) {
    eventually(timeout, what, condition::getAsBoolean, Boolean::booleanValue);
  }

  /** A supplier for {@link #eventually} from a call that may throw a checked exception. */
  public static <T> Supplier<T> unchecked(Checked<T> call) {
    return () -> {
      try {
        return call.get();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
      }
    };
  }

  /** A value that may throw. */
  @FunctionalInterface
  public interface Checked<T> {
    T get() throws Exception;
  }

  // The one pause of the test suite: the gap between two looks at the state, never a wait for it.
  private static void pause() {
    try {
      Thread.sleep(POLL_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting", e);
    }
  }
}
