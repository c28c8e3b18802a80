package dev.argus.llm;

import dev.argus.config.ArgusConfig;
import dev.argus.config.LlmKeySpec;
import dev.argus.model.AssessmentTask;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * The provider behind one circuit breaker per key ({@link KeyBreaker}). A breaker counts its key's own faults
 * only (5xx including an overloaded provider's 503/529, timeouts, resets); 429, 401, an exhausted quota and bad
 * replies pass through it as values so they do not open it. The call's result is handed on in the same
 * event-loop turn as the reply arrived (no hop through the loop's task queue). Not thread-safe: the
 * dispatcher's thread only.
 */
final class GuardedProvider implements Dispatcher.Caller {
  private final ProviderClient provider;
  private final Map<String, KeyBreaker> breakers = new HashMap<>();
  private BiConsumer<String, Long> opened = (id, waitMs) -> {};

  GuardedProvider(Vertx vertx, ProviderClient provider, ArgusConfig.Llm llm) {
    this(provider, llm, System::nanoTime);
  }

  GuardedProvider(ProviderClient provider, ArgusConfig.Llm llm, LongSupplier nanoClock) {
    this.provider = provider;
    for (LlmKeySpec k : llm.keys()) {
      breakers.put(k.id(), new KeyBreaker(llm.breakerMaxFailures(), llm.breakerFirstResetMs(), llm.breakerResetMs(), nanoClock));
    }
  }

  /**
   * Told the key's id and how long its breaker stays open whenever it opens (cluster mode shares it with the
   * other nodes).
   */
  void onOpen(BiConsumer<String, Long> listener) {
    this.opened = listener;
  }

  /** The key's breaker lets a call through: closed, or half-open with its trial call not out. */
  boolean allows(String keyId) {
    KeyBreaker b = breakers.get(keyId);
    return b == null || b.allows();
  }

  /** Open or half-open: the key view shows it as {@code circuit_open}. */
  boolean tripped(String keyId) {
    KeyBreaker b = breakers.get(keyId);
    return b != null && b.state() != KeyBreaker.State.CLOSED;
  }

  @Override
  public CompletionStage<CallResult> call(AssessmentTask task, KeyPool.Lease lease) {
    return call(task, lease, null);
  }

  @Override
  public CompletionStage<CallResult> call(AssessmentTask task, KeyPool.Lease lease, Buffer defaultModelRequest) {
    String id = lease.id();
    KeyBreaker b = breakers.get(id);
    if (b != null && !b.tryCall()) return CompletableFuture.completedFuture(new CallResult.CircuitOpen());
    Future<CallResult> call;
    try {
      call = provider.assess(task, lease, defaultModelRequest);
    } catch (RuntimeException e) {
      call = Future.failedFuture(e);
    }
    CompletableFuture<CallResult> out = new CompletableFuture<>();
    call.onComplete(ar -> {
      Throwable err = ar.cause();
      if (ar.succeeded() || (err instanceof CallFailure f && !f.outcome().opensBreaker())) {
        if (b != null) b.succeeded();
        out.complete(ar.succeeded() ? ar.result() : CallResult.of((CallFailure) err));
      } else {
        if (b != null && b.failed()) opened.accept(id, b.waitMs());
        out.complete(err instanceof CallFailure f ? CallResult.of(f)
            : new CallResult.Failed(CallOutcome.SERVER_ERROR, String.valueOf(err.getMessage())));
      }
    });
    return out;
  }
}
