package dev.argus.config;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment variables that override configuration, and the keys they set. Later entries win,
 * so an {@code ARGUS_*} name beats the {@code ALGO_*} alias existing deployments use.
 */
public final class EnvOverrides {
  private EnvOverrides() {}

  /** Variable name to configuration key. */
  public static final Map<String, String> VARIABLES = new LinkedHashMap<>();

  static {
    VARIABLES.put("ALGO_KAFKA_BOOTSTRAP_SERVERS", "kafka.bootstrapServers");
    VARIABLES.put("ARGUS_HTTP_PORT", "http.port");
    VARIABLES.put("ARGUS_MAX_LOOP_DELAY_MS", "http.maxLoopDelayMs");
    VARIABLES.put("ARGUS_KAFKA_BOOTSTRAP_SERVERS", "kafka.bootstrapServers");
    VARIABLES.put("ARGUS_KAFKA_MODE", "kafka.mode");
    VARIABLES.put("ARGUS_KAFKA_DATA_DIR", "kafka.embedded.dataDir");
    VARIABLES.put("ARGUS_REDIS_URL", "redis.url");
    VARIABLES.put("ARGUS_LLM_BASE_URL", "llm.baseUrl");
    VARIABLES.put("ARGUS_LLM_MODEL", "llm.model");
    VARIABLES.put("ARGUS_LLM_API_KEYS", "llm.apiKeys");
    VARIABLES.put("ARGUS_LLM_KEYS_FILE", "llm.keysFile");
    VARIABLES.put("ARGUS_DEMO", "demo.enabled");
    VARIABLES.put("ARGUS_ADMIN_TOKEN", "http.adminToken");
    VARIABLES.put("ARGUS_INGEST_TOKENS", "http.ingestTokens");
    VARIABLES.put("ARGUS_INGEST_TOKENS_FILE", "http.ingestTokensFile");
    VARIABLES.put("ARGUS_VIEWER_TOKEN", "http.viewerToken");
    VARIABLES.put("ARGUS_METRICS_PUBLIC", "http.metricsPublic");
    VARIABLES.put("ARGUS_TLS_CERT", "http.tls.certPath");
    VARIABLES.put("ARGUS_TLS_KEY", "http.tls.keyPath");
    VARIABLES.put("ARGUS_REDIS_PASSWORD", "redis.password");
    VARIABLES.put("ARGUS_REDIS_CA", "redis.tls.caPath");
    VARIABLES.put("ARGUS_ROLES", "node.roles");
    VARIABLES.put("ARGUS_CLUSTER", "cluster.enabled");
    VARIABLES.put("ARGUS_CLUSTER_HOST", "cluster.host");
    VARIABLES.put("ARGUS_CLUSTER_PORT", "cluster.port");
    VARIABLES.put("ARGUS_CLUSTER_MEMBERS", "cluster.members");
    VARIABLES.put("ARGUS_CLUSTER_NAME", "cluster.name");
    VARIABLES.put("ARGUS_ALERT_STATE_TTL_SECONDS", "aggregate.alertStateTtlSeconds");
    VARIABLES.put("ARGUS_PREDICT_HORIZON_MS", "aggregate.predictHorizonMs");
  }

  /**
   * Applies the environment to {@code conf} in place. Two rules beyond the table: a bootstrap address
   * given without a mode means an external broker, and {@code ALGO_ENABLE_KAFKA_STREAMING=false}
   * means no Kafka at all (direct mode) unless {@code ARGUS_KAFKA_MODE} says otherwise.
   */
  public static void apply(JsonObject conf, Map<String, String> env) {
    VARIABLES.forEach((name, key) -> {
      String value = env.get(name);
      if (value != null && !value.isBlank()) put(conf, key, value.trim());
    });
    boolean modeGiven = isSet(env, "ARGUS_KAFKA_MODE");
    if (!modeGiven && (isSet(env, "ARGUS_KAFKA_BOOTSTRAP_SERVERS") || isSet(env, "ALGO_KAFKA_BOOTSTRAP_SERVERS"))) {
      put(conf, "kafka.mode", "external");
    }
    String streaming = env.get("ALGO_ENABLE_KAFKA_STREAMING");
    if (!modeGiven && streaming != null && !streaming.isBlank()) {
      if (streaming.trim().equalsIgnoreCase("false")) {
        put(conf, "kafka.mode", "direct");
      } else if (!streaming.trim().equalsIgnoreCase("true")) {
        throw new ConfigException("ALGO_ENABLE_KAFKA_STREAMING", "expected true or false, got '" + streaming + "'");
      }
    }
  }

  private static boolean isSet(Map<String, String> env, String name) {
    String v = env.get(name);
    return v != null && !v.isBlank();
  }

  static void put(JsonObject conf, String key, Object value) {
    String[] parts = key.split("\\.");
    JsonObject node = conf;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject child = node.getJsonObject(parts[i]);
      if (child == null) {
        child = new JsonObject();
        node.put(parts[i], child);
      }
      node = child;
    }
    node.put(parts[parts.length - 1], value);
  }
}
