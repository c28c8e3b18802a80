package dev.argus.config;

import dev.argus.model.RiskLevel;
import io.vertx.core.json.JsonObject;

import dev.argus.security.IngestToken;
import dev.argus.security.IngestTokens;
import io.vertx.core.json.JsonArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The whole configuration, typed and checked once at start-up. Every key is documented in the README. */
public record ArgusConfig(Http http, Kafka kafka, Redis redis, Detection detection, Llm llm,
                          Aggregate aggregate, Dashboard dashboard, Demo demo, NodeRoles node, Quality quality,
                          Cluster cluster) {

  public enum BackboneMode { EMBEDDED, EXTERNAL, DIRECT }

  /**
   * @param ingestTokens producer tokens; empty means ingest is open to anyone who reaches the port
   * @param viewerToken when set, required by the read API, the event-bus bridge and (unless {@code metricsPublic}) {@code /metrics}
   * @param tls HTTPS from PEM files, or null for plain HTTP
   */
  public record Http(String host, int port, int instances, int bodyLimitBytes, int maxPendingWrites,
                     int retryAfterSeconds, long ackTimeoutMs, long maxLoopDelayMs, int wsMaxFramesInFlight, String adminToken,
                     List<IngestToken> ingestTokens, String viewerToken, boolean metricsPublic, Tls tls) {
    @Override
    public String toString() {
      // Never print the secrets (a record's toString would).
      return "Http[host=" + host + ", port=" + port + ", ingestTokens=" + ingestTokens.size()
          + ", viewerToken=" + !viewerToken.isEmpty() + ", adminToken=" + !adminToken.isEmpty() + ", tls=" + (tls != null) + "]";
    }
  }

  public record Tls(String certPath, String keyPath) {}

  public record Topic(String name, int partitions) {
    public String dlq() {
      return name + ".dlq";
    }
  }

  public record Topics(Topic detections, Topic tasks, Topic results, Topic alerts, Topic modelMetrics,
                       Topic dataQualityAlerts) {
    public List<Topic> all() {
      return List.of(detections, tasks, results, alerts, modelMetrics, dataQualityAlerts);
    }
  }

  public record Embedded(String dataDir, int port, int controllerPort, String clusterId) {}

  /**
   * {@code common}: client properties for every client (producers, consumers, the admin client): SASL and TLS go here.
   * {@code topicConfig}: topic properties for the topics Argus creates ({@code min.insync.replicas} on a replicated cluster).
   */
  public record Kafka(BackboneMode mode, String bootstrapServers, String groupPrefix, short replicationFactor,
                      Embedded embedded, Topics topics, Map<String, String> producer,
                      Map<String, String> consumer, Map<String, String> common, Map<String, String> topicConfig) {
    /** Where clients connect: the embedded broker's listener, or the configured servers. */
    public String effectiveBootstrap() {
      return mode == BackboneMode.EMBEDDED ? "127.0.0.1:" + embedded.port() : bootstrapServers;
    }

    public String group(String stage) {
      return groupPrefix + "-" + stage;
    }
  }

  /**
   * The store's settings; the caps apply to the in-memory store too.
   *
   * @param caPath PEM file of the certificate authorities trusted for {@code rediss://} (empty: the JVM's own)
   */
  public record Redis(String url, String password, int maxPoolSize, int maxPoolWaiting, int historyMaxLen, int dedupTtlSeconds,
                      int maxAlerts, int maxCameras, String caPath) {
    public boolean tls() {
      return url.startsWith("rediss://");
    }

    public boolean enabled() {
      return !url.isEmpty();
    }

    @Override
    public String toString() {
      return "Redis[url=" + url.replaceAll("//([^:@/]*):[^@/]*@", "//$1:***@") + ", password=" + !password.isEmpty() + "]";
    }
  }

  /**
   * {@code maxCameras}: how many cameras a node keeps per-camera state for (bridge, alert engine, statistics);
   * {@code transitGraceMs}: how much later than its interval's end a deferred scene change is due (FrameGate).
   */
  public record Detection(RuleBook rules, long pendingTimeoutMs, int maxCameras, long transitGraceMs) {}

  public record Llm(String baseUrl, String model, List<LlmKeySpec> keys, int maxConcurrent,
                    int connectTimeoutMs, int timeoutMs, int maxAttempts, int breakerMaxFailures,
                    long breakerFirstResetMs, long breakerResetMs, long deadlineMs, SelectionStrategy selectionStrategy, long minCooldownMs,
                    long maxCooldownMs, double cooldownJitter, double unknownLimitStartQps,
                    long retryMinBackoffMs, long retryBackoffStepMs, int queueCapacity, int verifyMinUsable,
                    double safetyMargin, double maxSafetyMargin) {
    /** The same settings with another provider and key pool (the demo's simulated provider). */
    public Llm withProvider(String baseUrl, String model, List<LlmKeySpec> keys) {
      return new Llm(baseUrl, model, keys, maxConcurrent, connectTimeoutMs, timeoutMs, maxAttempts, breakerMaxFailures,
          breakerFirstResetMs, breakerResetMs, deadlineMs, selectionStrategy, minCooldownMs, maxCooldownMs, cooldownJitter,
          unknownLimitStartQps, retryMinBackoffMs, retryBackoffStepMs, queueCapacity, verifyMinUsable, safetyMargin,
          maxSafetyMargin);
    }
  }

  public record Aggregate(RiskLevel alertLevel, int sustainedCount, double riseDelta, long riseWindowMs,
                          long republishMs, long resolveAfterMs, int maxUnstored, int liveDedupEntries,
                          Breaker storeBreaker, long alertStateTtlSeconds, long predictHorizonMs, Tracks tracks) {}

  /**
   * Track paths per camera: the newest {@code maxLen} positions (a capped Redis stream or list), the
   * positions of the last {@code fitWindowMs} a track's motion is fitted on, how long a track unseen
   * still counts ({@code staleAfterMs}), and how long a prediction may lapse before it is withdrawn.
   */
  public record Tracks(boolean enabled, int maxLen, long fitWindowMs, long staleAfterMs, long withdrawAfterMs) {}

  /** A circuit breaker: opens after {@code maxFailures}, a call times out after {@code timeoutMs}, a trial call every {@code resetTimeoutMs}. */
  public record Breaker(int maxFailures, long timeoutMs, long resetTimeoutMs) {}

  public record Dashboard(long statsIntervalMs, long browserFrameIntervalMs, long modelMetricsIntervalMs) {}

  /** {@code provider}: the simulated provider's limit models, read by {@code demo.provider.ProviderModel}. */
  public record Demo(boolean enabled, int cameras, double fps, int llmKeys, int llmQps, int llmPort,
                     double llmLatencyMs, double llmLatencySigma, double llmErrorRate, double llmHangRate, JsonObject provider,
                     long seed, double timeScale, long scoreGraceMs) {}

  /** Camera health checks (see {@code quality.CameraHealth}). */
  public record Quality(boolean enabled, long silentAfterMs, long windowMs, int baselineWindows, int confirmWindows,
                        double rateDropRatio, double confidenceDropRatio, long maxSkewMs, int rejectedBurstMin,
                        double rejectedBurstFactor) {}

  /**
   * Cluster mode (several gateway processes as one system, see {@code cluster.ClusterSetup}).
   *
   * @param members Hazelcast members to join over TCP/IP ({@code host:port}); empty means this node alone
   * @param sessionTimeoutMs replaces {@code kafka.consumer.session.timeout.ms} in cluster mode, so a dead
   *                         node's partitions move within seconds (the broker's
   *                         {@code group.min.session.timeout.ms}, 6 s by default, is the floor)
   * @param heartbeatIntervalMs replaces {@code kafka.consumer.heartbeat.interval.ms} (about a third of the above)
   * @param memberTimeoutSeconds how long Hazelcast waits for a silent member before dropping it
   */
  public record Cluster(boolean enabled, String name, String host, int port, List<String> members,
                        int sessionTimeoutMs, int heartbeatIntervalMs, int memberTimeoutSeconds) {}

  /** Consumer properties each stage sets itself (its group, manual commits, its poll size, the decoders). */
  static final List<String> MANAGED_CONSUMER_KEYS = List.of("group.id", "enable.auto.commit", "max.poll.records",
      "key.deserializer", "value.deserializer");

  /** Reads and checks every section; the first unusable value throws a {@link ConfigException}. */
  public static ArgusConfig from(JsonObject conf) {
    ConfigReader r = new ConfigReader(conf);
    Cluster cluster = cluster(r);
    Kafka kafka = kafka(r);
    Redis redis = redis(r);
    if (cluster.enabled()) {
      requireClusterBackends(kafka, redis);
      kafka = withClusterConsumer(kafka, cluster);
    }
    return new ArgusConfig(http(r), kafka, redis, detection(r), llm(r), aggregate(r), dashboard(r), demo(r),
        NodeRoles.parse(r.list("node.roles")), quality(r), cluster);
  }

  private static Cluster cluster(ConfigReader r) {
    String name = r.string("cluster.name");
    if (!name.matches("[A-Za-z0-9._-]{1,100}")) {
      throw new ConfigException("cluster.name", "expected 1 to 100 letters, digits, '.', '_' or '-', got '" + name + "'");
    }
    String host = r.string("cluster.host");
    if (host.isBlank()) throw new ConfigException("cluster.host", "is required (the address other nodes reach this one on)");
    List<String> members = new ArrayList<>();
    for (String m : r.list("cluster.members")) {
      if (!m.matches("[^:\\s]+:\\d{1,5}") || Integer.parseInt(m.substring(m.lastIndexOf(':') + 1)) > 65535) {
        throw new ConfigException("cluster.members", "expected host:port entries separated by commas, got '" + m + "'");
      }
      members.add(m);
    }
    int session = r.integer("cluster.sessionTimeoutMs", 1000, 3_600_000);
    int heartbeat = r.integer("cluster.heartbeatIntervalMs", 100, 3_600_000);
    if (heartbeat >= session) {
      throw new ConfigException("cluster.heartbeatIntervalMs", heartbeat + " ms must be below cluster.sessionTimeoutMs (" + session + " ms)");
    }
    return new Cluster(r.bool("cluster.enabled"), name, host.trim(), r.integer("cluster.port", 1, 65535), List.copyOf(members),
        session, heartbeat, r.integer("cluster.memberTimeoutSeconds", 2, 3600));
  }

  /** Several nodes share partitions and state: only an external broker and Redis are seen by all of them. */
  private static void requireClusterBackends(Kafka kafka, Redis redis) {
    if (kafka.mode() != BackboneMode.EXTERNAL) {
      throw new ConfigException("kafka.mode", "cluster mode needs an external Kafka (kafka.mode external, "
          + "ARGUS_KAFKA_BOOTSTRAP_SERVERS), got " + kafka.mode().name().toLowerCase(Locale.ROOT));
    }
    if (!redis.enabled()) {
      throw new ConfigException("redis.url", "cluster mode needs Redis (ARGUS_REDIS_URL); the in-memory store is one node's");
    }
  }

  /** Cluster mode's consumer session: short, so survivors take a killed node's partitions within seconds. */
  private static Kafka withClusterConsumer(Kafka k, Cluster c) {
    Map<String, String> consumer = new java.util.LinkedHashMap<>(k.consumer());
    consumer.put("session.timeout.ms", String.valueOf(c.sessionTimeoutMs()));
    consumer.put("heartbeat.interval.ms", String.valueOf(c.heartbeatIntervalMs()));
    return new Kafka(k.mode(), k.bootstrapServers(), k.groupPrefix(), k.replicationFactor(), k.embedded(), k.topics(),
        k.producer(), Map.copyOf(consumer), k.common(), k.topicConfig());
  }

  private static Http http(ConfigReader r) {
    return new Http(r.string("http.host"), r.integer("http.port", 0, 65535),
        r.integer("http.instances", 0, 256), r.integer("http.bodyLimitBytes", 1024, 256 << 20),
        r.integer("http.maxPendingWrites", 1, 10_000_000), r.integer("http.retryAfterSeconds", 1, 3600),
        r.longValue("http.ackTimeoutMs", 100, 600_000), r.longValue("http.maxLoopDelayMs", 0, 60_000),
        r.integer("http.wsMaxFramesInFlight", 1, 1_000_000),
        r.string("http.adminToken"), ingestTokens(r), r.string("http.viewerToken"), r.bool("http.metricsPublic"), tls(r));
  }

  /** Tokens from the file when one is named, else from {@code http.ingestTokens} (compact string or list). */
  private static List<IngestToken> ingestTokens(ConfigReader r) {
    try {
      String file = r.string("http.ingestTokensFile");
      if (!file.isEmpty()) return IngestTokenFile.read(Path.of(file));
      Object v = r.value("http.ingestTokens");
      if (v instanceof JsonArray a) {
        List<Object> items = a.getList();
        if (items.stream().allMatch(o -> o instanceof String)) return IngestTokens.parseList(String.join(",", a.getList()));
        return IngestTokens.fromMaps(new JsonArray(items).stream()
            .map(o -> o instanceof JsonObject j ? j.getMap() : o).toList());
      }
      return IngestTokens.parseList(r.string("http.ingestTokens"));
    } catch (IngestTokens.Invalid e) {
      throw new ConfigException("http.ingestTokens", e.getMessage());
    }
  }

  private static Tls tls(ConfigReader r) {
    String cert = r.string("http.tls.certPath");
    String key = r.string("http.tls.keyPath");
    if (cert.isEmpty() && key.isEmpty()) return null;
    if (cert.isEmpty() || key.isEmpty()) throw new ConfigException("http.tls", "set both certPath and keyPath (PEM files), or neither");
    for (String f : List.of(cert, key)) {
      if (!Files.isReadable(Path.of(f))) throw new ConfigException("http.tls", "cannot read " + f);
    }
    return new Tls(cert, key);
  }

  private static Kafka kafka(ConfigReader r) {
    BackboneMode mode = r.choice("kafka.mode", BackboneMode.class);
    String bootstrap = r.string("kafka.bootstrapServers");
    if (mode == BackboneMode.EXTERNAL && bootstrap.isEmpty()) {
      throw new ConfigException("kafka.bootstrapServers", "is required when kafka.mode is external");
    }
    Embedded embedded = new Embedded(r.string("kafka.embedded.dataDir"),
        r.integer("kafka.embedded.port", 1, 65535), r.integer("kafka.embedded.controllerPort", 1, 65535),
        r.string("kafka.embedded.clusterId"));
    if (mode == BackboneMode.EMBEDDED && embedded.dataDir().isEmpty()) {
      throw new ConfigException("kafka.embedded.dataDir", "is required when kafka.mode is embedded");
    }
    Topics topics = new Topics(topic(r, "detections"), topic(r, "tasks"), topic(r, "results"), topic(r, "alerts"),
        topic(r, "modelMetrics"), topic(r, "dataQualityAlerts"));
    Map<String, String> consumer = r.passthrough("kafka.consumer");
    for (String managed : MANAGED_CONSUMER_KEYS) {
      if (consumer.containsKey(managed)) {
        throw new ConfigException("kafka.consumer." + managed, "is set by Argus for each stage; remove it");
      }
    }
    return new Kafka(mode, bootstrap, r.string("kafka.groupPrefix"),
        (short) r.integer("kafka.replicationFactor", 1, 16), embedded, topics,
        r.passthrough("kafka.producer"), consumer, r.passthrough("kafka.common"), r.passthrough("kafka.topicConfig"));
  }

  private static Topic topic(ConfigReader r, String name) {
    String prefix = "kafka.topics." + name;
    String topic = r.string(prefix + ".name");
    if (!topic.matches("[a-zA-Z0-9._-]{1,200}")) {
      throw new ConfigException(prefix + ".name", "is not a valid Kafka topic name: '" + topic + "'");
    }
    return new Topic(topic, r.integer(prefix + ".partitions", 1, 10_000));
  }

  private static Redis redis(ConfigReader r) {
    String url = r.string("redis.url");
    if (!url.isEmpty() && !url.startsWith("redis://") && !url.startsWith("rediss://") && !url.startsWith("unix://")) {
      throw new ConfigException("redis.url", "expected redis://host:port[/db] (or empty for the in-memory store), got '" + url + "'");
    }
    return new Redis(url, r.string("redis.password"), r.integer("redis.maxPoolSize", 1, 1024), r.integer("redis.maxPoolWaiting", 1, 1_000_000),
        r.integer("redis.historyMaxLen", 1, 10_000_000), r.integer("redis.dedupTtlSeconds", 1, 365 * 86400),
        r.integer("redis.maxAlerts", 1, 10_000_000), r.integer("redis.maxCameras", 1, 10_000_000), redisCa(r, url));
  }

  private static String redisCa(ConfigReader r, String url) {
    String ca = r.string("redis.tls.caPath");
    if (ca.isEmpty()) return ca;
    if (!url.startsWith("rediss://")) throw new ConfigException("redis.tls.caPath", "applies only to a rediss:// url, got '" + url + "'");
    if (!Files.isReadable(Path.of(ca))) throw new ConfigException("redis.tls.caPath", "cannot read " + ca);
    return ca;
  }

  private static Detection detection(ConfigReader r) {
    Object section = r.value("detection");
    if (!(section instanceof JsonObject d)) throw new ConfigException("detection", "must be an object");
    return new Detection(RuleBook.from(d), r.longValue("detection.pendingTimeoutMs", 100, 3_600_000L),
        r.integer("detection.maxCameras", 1, 10_000_000), r.longValue("detection.transitGraceMs", 0, 60_000L));
  }

  private static Llm llm(ConfigReader r) {
    String baseUrl = r.string("llm.baseUrl");
    if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
      throw new ConfigException("llm.baseUrl", "expected an http(s) URL, got '" + baseUrl + "'");
    }
    List<LlmKeySpec> keys = new ArrayList<>();
    String strategy = r.string("llm.selectionStrategy");
    long minCooldownMs = r.longValue("llm.cooling.minCooldownMs", 1, 3_600_000L);
    long maxCooldownMs = r.longValue("llm.cooling.maxCooldownMs", 1, 3_600_000L);
    String file = r.string("llm.keysFile");
    if (!file.isEmpty()) {
      LlmKeys.KeyFile kf = LlmKeys.fromYaml(Path.of(file));
      keys.addAll(kf.keys());
      if (kf.selectionStrategy() != null) strategy = kf.selectionStrategy();
      if (kf.minCooldownSeconds() != null) minCooldownMs = Math.round(kf.minCooldownSeconds() * 1000);
      if (kf.maxCooldownSeconds() != null) maxCooldownMs = Math.round(kf.maxCooldownSeconds() * 1000);
    }
    if (keys.isEmpty()) keys.addAll(LlmKeys.fromList(r.list("llm.apiKeys")));
    SelectionStrategy selection = SelectionStrategy.parse(strategy);
    if (selection == null) {
      throw new ConfigException("llm.selectionStrategy", "expected least_loaded, round_robin or weighted, got '" + strategy + "'");
    }
    if (minCooldownMs > maxCooldownMs) {
      throw new ConfigException("llm.cooling", "min cooldown " + minCooldownMs + " ms is above max cooldown " + maxCooldownMs + " ms");
    }
    int timeout = r.integer("llm.timeoutMs", 100, 600_000);
    return new Llm(baseUrl.replaceAll("/+$", ""), r.string("llm.model"), List.copyOf(keys),
        r.integer("llm.maxConcurrent", 1, 10_000), r.integer("llm.connectTimeoutMs", 100, 600_000), timeout,
        r.integer("llm.maxAttempts", 1, 20), r.integer("llm.breaker.maxFailures", 1, 1000),
        r.longValue("llm.breaker.firstResetMs", 100, 3_600_000L), r.longValue("llm.breaker.resetTimeoutMs", 100, 3_600_000L),
        r.longValue("llm.deadlineMs", 1000, 3_600_000L), selection, minCooldownMs, maxCooldownMs,
        r.decimal("llm.cooling.jitter", 0, 10), r.decimal("llm.unknownLimitStartQps", 0.1, 100_000),
        r.longValue("llm.retry.minBackoffMs", 0, 600_000L), r.longValue("llm.retry.backoffStepMs", 1, 600_000L),
        r.integer("llm.queueCapacity", 1, 1_000_000), r.integer("llm.verifyMinUsable", 0, 1000),
        r.decimal("llm.safetyMargin.initial", 0, 0.5), r.decimal("llm.safetyMargin.max", 0, 0.5));
  }

  private static Aggregate aggregate(ConfigReader r) {
    RiskLevel lowest = null;
    for (String s : r.list("aggregate.alertLevels")) {
      RiskLevel level = RiskLevel.parse(s);
      if (level == null) throw new ConfigException("aggregate.alertLevels", "unknown risk level '" + s + "'");
      if (lowest == null || level.compareTo(lowest) < 0) lowest = level;
    }
    double riseDelta = r.decimal("aggregate.riseDelta", 0.01, 1);
    return new Aggregate(lowest == null ? RiskLevel.HIGH : lowest, r.integer("aggregate.sustainedCount", 1, 1000),
        riseDelta, r.longValue("aggregate.riseWindowMs", 1000, 86_400_000L),
        r.longValue("aggregate.republishMs", 0, 3_600_000L), r.longValue("aggregate.resolveAfterMs", 1000, 86_400_000L),
        r.integer("aggregate.maxUnstored", 1, 1_000_000), r.integer("aggregate.liveDedupEntries", 1, 10_000_000),
        new Breaker(r.integer("aggregate.storeBreaker.maxFailures", 1, 1000),
            r.longValue("aggregate.storeBreaker.timeoutMs", 100, 600_000), r.longValue("aggregate.storeBreaker.resetTimeoutMs", 100, 3_600_000L)),
        r.longValue("aggregate.alertStateTtlSeconds", 60, 30L * 86400), r.longValue("aggregate.predictHorizonMs", 0, 600_000),
        new Tracks(r.bool("aggregate.tracks.enabled"), r.integer("aggregate.tracks.maxLen", 10, 1_000_000),
            r.longValue("aggregate.tracks.fitWindowMs", 100, 600_000), r.longValue("aggregate.tracks.staleAfterMs", 100, 3_600_000L),
            r.longValue("aggregate.tracks.withdrawAfterMs", 0, 600_000)));
  }

  private static Dashboard dashboard(ConfigReader r) {
    return new Dashboard(r.longValue("dashboard.statsIntervalMs", 100, 60_000),
        r.longValue("dashboard.browserFrameIntervalMs", 0, 60_000),
        r.longValue("dashboard.modelMetricsIntervalMs", 100, 86_400_000));
  }

  private static Demo demo(ConfigReader r) {
    return new Demo(r.bool("demo.enabled"), r.integer("demo.cameras", 1, 100_000), r.decimal("demo.fps", 0.01, 1000),
        r.integer("demo.llmKeys", 1, 100), r.integer("demo.llmQps", 1, 100_000), r.integer("demo.llmPort", 0, 65535),
        r.integer("demo.llmLatencyMs", 1, 600_000), r.decimal("demo.llmLatencySigma", 0, 3),
        r.decimal("demo.llmErrorRate", 0, 1), r.decimal("demo.llmHangRate", 0, 1),
        demoProvider(r.value("demo.provider")), r.longValue("demo.seed", Long.MIN_VALUE, Long.MAX_VALUE),
        r.decimal("demo.timeScale", 0.01, 100), r.longValue("demo.scoreGraceMs", 0, 3_600_000L));
  }

  private static Quality quality(ConfigReader r) {
    return new Quality(r.bool("quality.enabled"), r.longValue("quality.silentAfterMs", 100, 86_400_000L),
        r.longValue("quality.windowMs", 100, 3_600_000L), r.integer("quality.baselineWindows", 1, 1000),
        r.integer("quality.confirmWindows", 1, 1000), r.decimal("quality.rateDropRatio", 0.01, 1),
        r.decimal("quality.confidenceDropRatio", 0.01, 1), r.longValue("quality.maxSkewMs", 1, 86_400_000L),
        r.integer("quality.rejectedBurstMin", 1, 1_000_000), r.decimal("quality.rejectedBurstFactor", 1, 1000));
  }

  private static JsonObject demoProvider(Object v) {
    if (v == null) return new JsonObject();
    if (!(v instanceof JsonObject o)) throw new ConfigException("demo.provider", "expected an object, got " + v);
    return o;
  }
}
