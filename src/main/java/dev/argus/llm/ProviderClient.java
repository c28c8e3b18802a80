package dev.argus.llm;

import dev.argus.config.ArgusConfig;
import dev.argus.config.LlmKeySpec;
import dev.argus.model.AssessmentTask;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One OpenAI-compatible chat-completions call: builds the request, enforces the total timeout, and
 * turns the answer into a checked reply or a classified {@link CallFailure}.
 */
final class ProviderClient {
  private final WebClient client;
  private final ArgusConfig.Llm conf;
  private final java.util.Map<String, String> urls = new java.util.concurrent.ConcurrentHashMap<>();

  ProviderClient(WebClient client, ArgusConfig.Llm conf) {
    this.client = client;
    this.conf = conf;
  }

  /** The model a key is called with: its own, else the configured default. */
  static String model(LlmKeySpec key, String defaultModel) {
    return key.model() != null ? key.model() : defaultModel;
  }

  private String model(LlmKeySpec key) {
    return model(key, conf.model());
  }

  private String url(LlmKeySpec key) {
    // once per key, not a regex and a concatenation per call
    return urls.computeIfAbsent(key.id(), id -> (key.baseUrl() != null ? key.baseUrl().replaceAll("/+$", "")
        : conf.baseUrl()) + "/chat/completions");
  }

  /**
   * The call on a lease; {@code defaultModelRequest} (may be null): the request for the default model, already
   * encoded, sent as it is when the key uses that model. Tells the lease when the reply arrived, before reading it.
   */
  Future<CallResult> assess(AssessmentTask task, KeyPool.Lease lease, Buffer defaultModelRequest) {
    LlmKeySpec key = lease.key();
    Buffer body = defaultModelRequest != null && key.model() == null ? defaultModelRequest
        : PromptBuilder.request(task, model(key)).toBuffer();
    return post(key, body).map(r -> {
      lease.replyArrived();
      return result(r, System.currentTimeMillis());
    });
  }

  /** The smallest request a provider will answer (for verify-keys): success means the key works. */
  Future<HttpResponse<Buffer>> probe(LlmKeySpec key) {
    JsonObject body = new JsonObject().put("model", model(key)).put("max_tokens", 1)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "ping")));
    return client.postAbs(url(key)).bearerTokenAuthentication(key.secret()).timeout(conf.timeoutMs()).sendJsonObject(body);
  }

  private Future<HttpResponse<Buffer>> post(LlmKeySpec key, Buffer body) {
    long timeout = conf.timeoutMs();
    return client.postAbs(url(key))
        .bearerTokenAuthentication(key.secret())
        .putHeader("Content-Type", "application/json")
        .timeout(timeout)
        .sendBuffer(body)
        .timeout(timeout, TimeUnit.MILLISECONDS)
        .recover(err -> Future.failedFuture(new CallFailure(
            err instanceof TimeoutException || String.valueOf(err.getMessage()).toLowerCase().contains("timeout")
                ? CallOutcome.TIMEOUT : CallOutcome.SERVER_ERROR, "no answer: " + err.getMessage())));
  }

  /**
   * A reply as the dispatcher acts on it: a success with the provider's counters and usage, or a classified
   * {@link CallFailure} (a 429 by its kind; an exhausted quota; 503/529 overloaded as a server error).
   */
  static CallResult.Success result(HttpResponse<Buffer> response, long nowMs) {
    int code = response.statusCode();
    JsonObject body = json(response);
    ProviderSignals signals = ProviderSignals.read(code, response::getHeader, body, nowMs);
    if (code / 100 != 2) {
      RefusalKind kind = signals.refusal();
      CallOutcome outcome = kind == null ? CallOutcome.ofStatus(code) : switch (kind) {
        case QUOTA -> CallOutcome.QUOTA_EXHAUSTED;
        case OVERLOADED -> CallOutcome.SERVER_ERROR;
        case RATE, CONCURRENCY, SLOW_DOWN -> CallOutcome.RATE_LIMITED;
      };
      throw new CallFailure(outcome, "HTTP " + code + (kind == null ? "" : " (" + kind.label + ")"), signals);
    }
    if (body == null) throw new CallFailure(CallOutcome.INVALID_REPLY, "not a chat completion: the body is not JSON");
    try {
      JsonObject message = body.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
      Object content = message.getValue("content");
      if (content instanceof JsonArray parts) {
        StringBuilder sb = new StringBuilder();
        parts.forEach(p -> sb.append(p instanceof JsonObject o ? o.getString("text", "") : String.valueOf(p)));
        content = sb.toString();
      }
      return new CallResult.Success(ReplyParser.parse((String) content), signals);
    } catch (InvalidReplyException e) {
      throw new CallFailure(CallOutcome.INVALID_REPLY, e.getMessage());
    } catch (RuntimeException e) {
      throw new CallFailure(CallOutcome.INVALID_REPLY, "not a chat completion: " + e.getMessage());
    }
  }

  private static JsonObject json(HttpResponse<Buffer> response) {
    Buffer b = response.body();
    if (b == null || b.length() == 0) return null;
    try {
      return b.toJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
