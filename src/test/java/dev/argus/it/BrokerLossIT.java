package dev.argus.it;

import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.argus.it.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 9 point 2: broker loss in a replicated cluster. Three broker processes and a controller
 * ({@link KafkaCluster}); the gateway (external mode) creates its topics with replication factor 3 and
 * {@code min.insync.replicas} 2. While frames stream in, the leader of a busy partition gets SIGKILL:
 * ingest must come back by itself (the seconds are printed), and no frame answered 202 may be missing
 * from {@code detection-results}. Then a second broker goes: with one of three left no write can reach
 * two replicas, so every write must be refused with 503 and {@code Retry-After}, never answered 202.
 */
class BrokerLossIT {
  private static final int PARTITIONS = 4;
  private static final int LOADERS = 3;
  /** Ingest must be back within this after losing one broker (the controller fences it after ~9 s). */
  private static final Duration RECOVERY_BOUND = Duration.ofSeconds(90);

  /** One POST: when it started and ended, what came back, which frames it carried. */
  record Outcome(long startMs, long endMs, int status, String retryAfter, List<String> frames) {}

  private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean loading = new AtomicBoolean(true);

  @Test
  void losingBrokersLosesNoAcknowledgedFrameAndWithoutAQuorumOfReplicasWritesAre503(@TempDir Path dir) throws Exception {
    try (KafkaCluster cluster = KafkaCluster.withController(dir, 3)) {
      JsonObject conf = external(cluster.bootstrap());
      String detections = conf.getJsonObject("kafka").getJsonObject("topics").getJsonObject("detections").getString("name");
      try (Gateway gw = Gateway.start(conf); Admin admin = cluster.admin()) {
        assertReplicated(admin, detections);
        List<String> cameras = camerasCoveringEveryPartition();
        List<Thread> loaders = new ArrayList<>();
        for (int i = 0; i < LOADERS; i++) {
          int loader = i;
          Thread t = new Thread(() -> load(gw.port, cameras, loader), "loader-" + i);
          t.start();
          loaders.add(t);
        }
        try {
          eventually(Duration.ofSeconds(60), "30 batches accepted before the fault", () -> accepted(0) >= 30);

          // 1. SIGKILL the leader of partition 0 (and of whatever else it leads) mid-stream.
          int first = cluster.leaderOf(admin, detections, 0);
          assertTrue(first > 0, "partition 0 has a leader");
          long killed = System.currentTimeMillis();
          cluster.kill(first);
          // Recovered: a batch that covers every partition, sent after the kill, answered 202.
          Outcome back = eventually(RECOVERY_BOUND, "a 202 for a batch sent after broker " + first + " was killed",
              () -> firstAcceptedStartedAfter(killed), o -> o != null);
          double recovery = (back.endMs() - killed) / 1000.0;
          System.out.printf("%tT BROKER-LOSS leader %d killed; ingest back after %.1f s (%d refusals meanwhile)%n",
              System.currentTimeMillis(), first, recovery, refusedBetween(killed, back.endMs()));
          long afterRecovery = accepted(back.endMs());
          eventually(Duration.ofSeconds(60), "ingest flowing on two brokers", () -> accepted(back.endMs()) >= afterRecovery + 20);

          // 2. A second broker goes: one of three left, below min.insync.replicas.
          int second = cluster.brokerIds().stream().filter(n -> n != first).findFirst().orElseThrow();
          long killed2 = System.currentTimeMillis();
          cluster.kill(second);
          // Once the controller fenced it, the survivor leads alone: nothing it takes reaches two replicas.
          eventually(Duration.ofSeconds(60), "the controller to see one broker", () -> cluster.liveBrokers() == 1);
          long fenced = System.currentTimeMillis();
          eventually(Duration.ofSeconds(60), "ten refusals of batches sent with one broker left",
              () -> outcomes.stream().filter(o -> o.startMs() >= fenced && o.status() != 202).count() >= 10);
          long end2 = System.currentTimeMillis();
          List<Outcome> oneLeft = outcomes.stream().filter(o -> o.startMs() >= fenced && o.endMs() <= end2).toList();
          assertEquals(List.of(), oneLeft.stream().filter(o -> o.status() == 202).toList(), "no 202 with one broker of three");
          for (Outcome o : oneLeft) {
            assertEquals(503, o.status(), "with one broker of three a write is refused as unavailable");
            assertNotNull(o.retryAfter(), "a 503 carries Retry-After");
          }
          System.out.printf("%tT BROKER-LOSS two of three down (broker %d killed %.1f s after the first recovery): %d writes, all 503 with Retry-After%n",
              System.currentTimeMillis(), second, (killed2 - back.endMs()) / 1000.0, oneLeft.size());

          // 3. Both come back: ingest resumes without touching the gateway.
          long restarted = System.currentTimeMillis();
          cluster.restart(first);
          cluster.restart(second);
          Outcome again = eventually(RECOVERY_BOUND, "a 202 after the brokers came back",
              () -> firstAcceptedStartedAfter(restarted), o -> o != null);
          System.out.printf("%tT BROKER-LOSS brokers restarted; ingest back after %.1f s%n", System.currentTimeMillis(), (again.endMs() - restarted) / 1000.0);
          long resumed = accepted(again.endMs());
          eventually(Duration.ofSeconds(60), "ingest flowing on three brokers", () -> accepted(again.endMs()) >= resumed + 20);
        } finally {
          loading.set(false);
          for (Thread t : loaders) t.join(60_000);
        }

        // Every other answer was a 503 with Retry-After (no 500, no dropped connection).
        for (Outcome o : outcomes) {
          if (o.status() != 202) {
            assertEquals(503, o.status(), "a refused write is a 503: " + o);
            assertNotNull(o.retryAfter(), "a 503 carries Retry-After: " + o);
          }
        }
        Set<String> acknowledged = new HashSet<>();
        outcomes.stream().filter(o -> o.status() == 202).forEach(o -> acknowledged.addAll(o.frames()));
        Set<String> durable = new HashSet<>();
        int[] seen = {0};
        TestKafka.readUntil(cluster.bootstrap(), detections, Duration.ofSeconds(120), read -> {
          for (; seen[0] < read.size(); seen[0]++) {
            durable.add(frameKey(new JsonObject(new String(read.get(seen[0]).value(), StandardCharsets.UTF_8))));
          }
          return durable.containsAll(acknowledged);
        });
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(durable);
        System.out.printf("%tT BROKER-LOSS %d frames answered 202, %d in detection-results, %d lost; %d requests, %d refused%n",
            System.currentTimeMillis(), acknowledged.size(), durable.size(), lost.size(), outcomes.size(), outcomes.stream().filter(o -> o.status() != 202).count());
        assertEquals(Set.of(), lost, "frames answered 202 missing from " + detections);
      }
    }
  }

  /**
   * An external-mode gateway on the cluster: replicated topics, each write acknowledged by two replicas.
   * (Not {@link Gateway#onTestKafka()}: that would start the shared embedded broker for nothing.)
   */
  private static JsonObject external(String bootstrap) {
    String p = "bl" + UUID.randomUUID().toString().substring(0, 8);
    JsonObject topics = new JsonObject();
    for (String[] t : new String[][] {{"detections", "detection-results"}, {"tasks", "assessment-tasks"},
        {"results", "risk-assessment-results"}, {"alerts", "alert-events"}, {"modelMetrics", "model-metrics"},
        {"dataQualityAlerts", "data-quality-alerts"}}) {
      topics.put(t[0], new JsonObject().put("name", p + "-" + t[1]).put("partitions", PARTITIONS));
    }
    return new JsonObject()
        .put("kafka", new JsonObject().put("mode", "external").put("bootstrapServers", bootstrap).put("groupPrefix", p)
            .put("topics", topics).put("replicationFactor", 3)
            .put("topicConfig", new JsonObject().put("min.insync.replicas", "2")))
        .put("http", new JsonObject().put("instances", 1));
  }

  private static void assertReplicated(Admin admin, String topic) throws Exception {
    TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
    d.partitions().forEach(p -> assertEquals(3, p.replicas().size(), "replicas of " + topic + "-" + p.partition()));
    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Config c = admin.describeConfigs(List.of(r)).all().get(10, TimeUnit.SECONDS).get(r);
    assertEquals("2", c.get("min.insync.replicas").value(), "min.insync.replicas of " + topic);
  }

  /** Two cameras per partition (by the producer's own key hashing), so every batch writes to every partition. */
  private static List<String> camerasCoveringEveryPartition() {
    String run = UUID.randomUUID().toString().substring(0, 6);
    int[] perPartition = new int[PARTITIONS];
    List<String> out = new ArrayList<>();
    for (int i = 0; out.size() < 2 * PARTITIONS; i++) {
      String cam = "bl-" + run + "-" + i;
      int p = Utils.toPositive(Utils.murmur2(cam.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
      if (perPartition[p] < 2) {
        perPartition[p]++;
        out.add(cam);
      }
    }
    return out;
  }

  private void load(int port, List<String> cameras, int loader) {
    int seq = 0;
    URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/detections");
    while (loading.get()) {
      seq++;
      StringBuilder body = new StringBuilder();
      List<String> frames = new ArrayList<>();
      for (String cam : cameras) {
        String frame = loader + "-" + seq;
        frames.add(cam + "/" + frame);
        body.append("{\"camera_id\":\"").append(cam).append("\",\"frame_id\":\"").append(frame)
            .append("\",\"detections\":[{\"label\":\"person\",\"confidence\":0.9,\"bbox\":[1,2,30,40]}]}\n");
      }
      long start = System.currentTimeMillis();
      try {
        HttpResponse<String> r = Gateway.HTTP.send(HttpRequest.newBuilder(uri).timeout(Gateway.REQUEST_TIMEOUT)
            .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
            HttpResponse.BodyHandlers.ofString());
        outcomes.add(new Outcome(start, System.currentTimeMillis(), r.statusCode(), r.headers().firstValue("Retry-After").orElse(null), frames));
        if (r.statusCode() != 202) Thread.sleep(200); // a client honouring Retry-After loosely, to keep the log short
        else Thread.sleep(20);
      } catch (Exception e) {
        // A dropped connection or a timeout is an outcome too (status 0), and fails the test.
        outcomes.add(new Outcome(start, System.currentTimeMillis(), 0, null, frames));
      }
    }
  }

  private long accepted(long since) {
    return outcomes.stream().filter(o -> o.status() == 202 && o.endMs() >= since).count();
  }

  private long refusedBetween(long from, long to) {
    return outcomes.stream().filter(o -> o.status() != 202 && o.endMs() >= from && o.endMs() <= to).count();
  }

  private Outcome firstAcceptedStartedAfter(long t) {
    return outcomes.stream().filter(o -> o.status() == 202 && o.startMs() > t).findFirst().orElse(null);
  }

  private static String frameKey(JsonObject frame) {
    return frame.getString("camera_id") + "/" + frame.getValue("frame_id");
  }
}
