package dev.argus.llm;

import dev.argus.config.ArgusConfig;
import dev.argus.config.LlmKeySpec;
import dev.argus.model.AssessmentTask;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The provider behind one Vert.x circuit breaker per key. A breaker counts its key's own faults only
 * (5xx including an overloaded provider's 503/529, timeouts, resets); 429, 401, an exhausted quota and bad
 * replies pass through it as values so they do not open it.
 */
final class GuardedProvider implements Dispatcher.Caller {
  /** The provider call enforces {@code llm.timeoutMs} itself; a breaker timeout would only race it. */
  private static final long NO_BREAKER_TIMEOUT = -1;

  private final ProviderClient provider;
  private final Map<String, CircuitBreaker> breakers = new HashMap<>();
  private java.util.function.Consumer<String> opened = id -> {};

  GuardedProvider(Vertx vertx, ProviderClient provider, ArgusConfig.Llm llm) {
    this.provider = provider;
    for (LlmKeySpec k : llm.keys()) {
      breakers.put(k.id(), CircuitBreaker.create("llm-" + k.id(), vertx, new CircuitBreakerOptions()
          .setMaxFailures(llm.breakerMaxFailures()).setTimeout(NO_BREAKER_TIMEOUT).setResetTimeout(llm.breakerResetMs()))
          .openHandler(v -> opened.accept(k.id())));
    }
  }

  /** Told the key's id whenever its breaker opens (cluster mode shares it with the other nodes). */
  void onOpen(java.util.function.Consumer<String> listener) {
    this.opened = listener;
  }

  /** The key's breaker lets a call through: closed, or half-open for its trial call. */
  boolean allows(String keyId) {
    CircuitBreaker b = breakers.get(keyId);
    return b == null || b.state() != CircuitBreakerState.OPEN;
  }

  /** Open or half-open: the key view shows it as {@code circuit_open}. */
  boolean tripped(String keyId) {
    CircuitBreaker b = breakers.get(keyId);
    return b != null && b.state() != CircuitBreakerState.CLOSED;
  }

  @Override
  public CompletionStage<CallResult> call(AssessmentTask task, KeyPool.Lease lease) {
    return call(task, lease, null);
  }

  @Override
  public CompletionStage<CallResult> call(AssessmentTask task, KeyPool.Lease lease, Buffer defaultModelRequest) {
    return breakers.get(lease.id()).<CallResult>execute(() -> provider.assess(task, lease, defaultModelRequest)
            .recover(err -> err instanceof CallFailure f && !f.outcome().opensBreaker()
                ? Future.succeededFuture(CallResult.of(f)) : Future.failedFuture(err)))
        .otherwise(GuardedProvider::failure)
        .toCompletionStage();
  }

  private static CallResult failure(Throwable err) {
    if (err instanceof OpenCircuitException) return new CallResult.CircuitOpen();
    if (err instanceof CallFailure f) return CallResult.of(f);
    return new CallResult.Failed(CallOutcome.SERVER_ERROR, String.valueOf(err.getMessage()));
  }
}
