package dev.argus.backbone;

import dev.argus.config.ArgusConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** The Kafka backbone, against the embedded broker or an external cluster. */
public final class KafkaBackbone implements Backbone {
  private static final Logger log = LoggerFactory.getLogger(KafkaBackbone.class);
  /** Without a bound, the admin client's close waits for every pending call, forever if the broker is gone. */
  private static final Duration ADMIN_CLOSE = Duration.ofSeconds(5);
  private static final int ADMIN_API_TIMEOUT_MS = 15_000;
  private static final int ADMIN_REQUEST_TIMEOUT_MS = 5_000;
  /** How long start-up waits for the topic set-up steps (and for a new topic to become visible). */
  private static final long TOPIC_SETUP_SECONDS = 30;
  /** The health probe must answer quickly even with the broker gone. */
  private static final long HEALTH_PROBE_SECONDS = 2;
  private static final long TOPIC_VISIBLE_RETRY_MS = 200;
  /** A poll hands out at most this many records (fewer when the stage holds fewer in flight). */
  static final int MAX_POLL_RECORDS = 500;
  /** Dead letters are rare; this only bounds a flood of them. */
  private static final int DEAD_LETTERS_PENDING = 10_000;

  private final Vertx vertx;
  private final ArgusConfig.Kafka conf;
  private final int maxPendingWrites;
  private final EmbeddedKafkaBroker broker;
  private final BackboneMeters meters;
  private final ConsumerLag lag;
  private final Assignments assignments = new Assignments();
  private final CloudEventHeaders envelope = CloudEventHeaders.forThisNode();
  private Admin admin;

  private KafkaBackbone(Vertx vertx, ArgusConfig.Kafka conf, int maxPendingWrites, EmbeddedKafkaBroker broker,
                        BackboneMeters meters) {
    this.vertx = vertx;
    this.conf = conf;
    this.maxPendingWrites = maxPendingWrites;
    this.broker = broker;
    this.meters = meters;
    this.lag = new ConsumerLag(meters.registry());
  }

  /** Starts the embedded broker when asked to, then makes sure every topic exists. */
  static Future<Backbone> start(Vertx vertx, ArgusConfig config, BackboneMeters meters) {
    ArgusConfig.Kafka conf = config.kafka();
    EmbeddedKafkaBroker broker = conf.mode() == ArgusConfig.BackboneMode.EMBEDDED
        ? new EmbeddedKafkaBroker(Path.of(conf.embedded().dataDir()), conf.embedded().port(),
            conf.embedded().controllerPort(), conf.embedded().clusterId())
        : null;
    KafkaBackbone backbone = new KafkaBackbone(vertx, conf, config.http().maxPendingWrites(), broker, meters);
    return vertx.executeBlocking(() -> {
      if (broker != null) broker.start();
      backbone.admin = Admin.create(backbone.adminConfig());
      backbone.ensureTopics();
      return (Backbone) backbone;
    }, false).onFailure(e -> {
      if (backbone.admin != null) backbone.admin.close(ADMIN_CLOSE);
      if (broker != null) broker.stop();
    });
  }

  private void ensureTopics() throws Exception {
    Set<String> existing = admin.listTopics().names().get(TOPIC_SETUP_SECONDS, TimeUnit.SECONDS);
    List<NewTopic> create = new ArrayList<>();
    Map<String, Integer> wanted = new HashMap<>();
    for (ArgusConfig.Topic t : conf.topics().all()) {
      wanted.put(t.name(), t.partitions());
      wanted.put(t.dlq(), 1);
    }
    wanted.forEach((name, partitions) -> {
      if (!existing.contains(name)) {
        create.add(new NewTopic(name, partitions, conf.replicationFactor()).configs(conf.topicConfig()));
      }
    });
    if (!create.isEmpty()) {
      admin.createTopics(create).all().get(TOPIC_SETUP_SECONDS, TimeUnit.SECONDS);
      log.info("Created topics {}", create.stream().map(NewTopic::name).toList());
    }
    // Partitions can only grow: raise existing topics to the configured count, never shrink them.
    Map<String, TopicDescription> described = describeWhenVisible(wanted.keySet());
    Map<String, NewPartitions> grow = new HashMap<>();
    described.forEach((name, d) -> {
      if (d.partitions().size() < wanted.get(name)) grow.put(name, NewPartitions.increaseTo(wanted.get(name)));
    });
    if (!grow.isEmpty()) admin.createPartitions(grow).all().get(TOPIC_SETUP_SECONDS, TimeUnit.SECONDS);
    // The first send of each producer must not block the event loop on metadata: warm the cluster up now.
    admin.describeCluster().nodes().get(TOPIC_SETUP_SECONDS, TimeUnit.SECONDS);
  }

  /** A topic just created is not described by every broker at once: retry briefly until it is. */
  private Map<String, TopicDescription> describeWhenVisible(Set<String> topics) throws Exception {
    long deadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(TOPIC_SETUP_SECONDS);
    while (true) {
      try {
        return admin.describeTopics(topics).allTopicNames().get(TOPIC_SETUP_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.currentTimeMillis() > deadline) throw e;
        Thread.sleep(TOPIC_VISIBLE_RETRY_MS);
      }
    }
  }

  @Override
  public String mode() {
    return broker != null ? "embedded" : "external";
  }

  @Override
  public boolean durable() {
    return true;
  }

  /** The admin client gets the common (SASL/TLS) properties too: without them start-up fails on a secured cluster. */
  Map<String, Object> adminConfig() {
    Map<String, Object> a = new HashMap<>(conf.common());
    a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, conf.effectiveBootstrap());
    a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ADMIN_API_TIMEOUT_MS);
    a.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ADMIN_REQUEST_TIMEOUT_MS);
    return a;
  }

  Map<String, Object> producerConfig() {
    Map<String, Object> p = new HashMap<>(conf.common());
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, conf.effectiveBootstrap());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    p.put(ProducerConfig.RETRIES_CONFIG, String.valueOf(Integer.MAX_VALUE));
    p.putAll(conf.producer());
    // 202 means durable: what makes it so is not left to the passthrough properties.
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  @Override
  public Publisher publisher(Vertx vertx) {
    return publisher(vertx, producerConfig());
  }

  private Publisher publisher(Vertx vertx, Map<String, Object> config) {
    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config);
    // Fetch metadata for every topic now, so no send() waits for it on an event loop later.
    for (ArgusConfig.Topic t : conf.topics().all()) producer.partitionsFor(t.name());
    return new KafkaPublisher(vertx, producer, maxPendingWrites, meters, envelope);
  }

  /**
   * As {@link #publisher} with {@code linger.ms=0}: kafka.producer's linger (5 ms, chosen for ingest
   * throughput) made every task, result and alert wait up to 5 ms for company that at these rates (tasks are
   * bounded by the LLM's throughput) seldom comes; a detection passes two such hops before its assessment
   * (bridge -> tasks, dispatch -> results). Under load records still batch while a request is in flight
   * (max.in.flight 5), so this costs no throughput where there is any to lose. Measured with bench/latency
   * together with the bridge's DueWake (README, bench/latency): task_queue stage mean 19.0 -> 13.9 ms, aggregate
   * 14.3 -> 6.9 ms, one smoke window each on a busy machine (bench/results/latency-* for the quiet-machine run).
   */
  @Override
  public Publisher stagePublisher(Vertx vertx) {
    Map<String, Object> config = producerConfig();
    config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    return publisher(vertx, config);
  }

  @Override
  public Future<Subscription> subscribe(Vertx vertx, SubscriptionSpec spec, RecordHandler handler) {
    KafkaConsumer<String, byte[]> consumer = KafkaConsumer.create(vertx, consumerConfig(conf, spec));
    // Dead letters get their own small producer so a poisoned batch never waits on the stage's output queue.
    KafkaPublisher deadLetters = new KafkaPublisher(vertx, new KafkaProducer<>(producerConfig()), DEAD_LETTERS_PENDING, meters, envelope);
    return new KafkaSubscription(vertx, consumer, spec, handler, deadLetters, meters, lag, assignments).start();
  }

  /**
   * A stage's consumer settings: {@code kafka.common} and {@code kafka.consumer} passed through, over the
   * subscription's own fetch gathering (so an operator's {@code fetch.max.wait.ms} still wins), under what
   * the backbone decides itself (group, commits, poll size, deserializers).
   */
  static Map<String, String> consumerConfig(ArgusConfig.Kafka conf, SubscriptionSpec spec) {
    Map<String, String> c = new HashMap<>(conf.common());
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, conf.effectiveBootstrap());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    if (spec.fetchWaitMs() > 0) {
      c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, String.valueOf(spec.fetchWaitMs()));
      c.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, String.valueOf(SubscriptionSpec.GATHER_BYTES));
    }
    c.putAll(conf.consumer());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, spec.group());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(Math.min(MAX_POLL_RECORDS, spec.maxInFlight())));
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return c;
  }

  @Override
  public BackboneMeters meters() {
    return meters;
  }

  @Override
  public ConsumerLag lag() {
    return lag;
  }

  @Override
  public Assignments assignments() {
    return assignments;
  }

  @Override
  public Future<JsonObject> health() {
    return vertx.executeBlocking(() -> {
      JsonObject h = new JsonObject().put("mode", mode()).put("durable", true)
          .put("bootstrap_servers", conf.effectiveBootstrap());
      try {
        int nodes = admin.describeCluster().nodes().get(HEALTH_PROBE_SECONDS, TimeUnit.SECONDS).size();
        return h.put("status", nodes > 0 ? "UP" : "DOWN").put("brokers", nodes);
      } catch (Exception e) {
        return h.put("status", "DOWN").put("error", "broker unreachable: " + e.getClass().getSimpleName());
      }
    }, false);
  }

  @Override
  public Future<Void> close() {
    return vertx.executeBlocking(() -> {
      if (admin != null) admin.close(ADMIN_CLOSE);
      if (broker != null) broker.stop();
      return null;
    }, false);
  }
}
