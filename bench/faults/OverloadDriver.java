import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load for bench/faults/overload.sh (issue 9 point 6). JDK only.
 *
 * <pre>
 *   OverloadDriver closed  PORT SECONDS CONNECTIONS BATCH OUT   # as fast as CONNECTIONS clients go: the capacity
 *   OverloadDriver open    PORT SECONDS RATE CONNECTIONS BATCH OUT  # RATE frames/s offered on a fixed schedule
 * </pre>
 *
 * Each request is an NDJSON batch of BATCH frames over 200 cameras. Open loop: batch i is due at
 * start + i * BATCH / RATE whatever the server does; when every one of CONNECTIONS clients is still
 * waiting for an answer, the due batch is counted as "not sent" (a real producer fleet would be queueing
 * or dropping it) instead of piling up in the driver. Every answer is counted by status; a 429/503 without
 * Retry-After is counted apart (the contract says it carries one). Writes a properties file OUT with the
 * counts: accepted_frames is what the gateway promised to process.
 *
 * <p>Closed loop, a client that was refused (429/503) waits the answer's Retry-After before it sends again,
 * as a well-behaved producer does: the capacity measured is what the gateway takes from clients that keep to
 * its contract (a client that re-sent at once would spend this machine's two cores on refusals). Open loop
 * offers on schedule regardless: many cameras, each with its own frames.
 */
public class OverloadDriver {
  private static final String[] LABELS = {"person", "car", "truck", "bicycle", "dog"};
  /** Closed loop only: releases a refused client's slot after its Retry-After. */
  static java.util.concurrent.ScheduledExecutorService backoff;

  public static void main(String[] args) throws Exception {
    boolean open = args[0].equals("open");
    if (!open) backoff = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    int port = Integer.parseInt(args[1]);
    int seconds = Integer.parseInt(args[2]);
    double rate = open ? Double.parseDouble(args[3]) : 0;
    int connections = Integer.parseInt(args[open ? 4 : 3]);
    int batch = Integer.parseInt(args[open ? 5 : 4]);
    Path out = Path.of(args[open ? 6 : 5]);

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/detections");
    byte[][] bodies = new byte[64][];
    for (int v = 0; v < bodies.length; v++) bodies[v] = body(v, batch);

    Semaphore clients = new Semaphore(connections);
    Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
    LongAdder acceptedFrames = new LongAdder();
    LongAdder missingRetryAfter = new LongAdder();
    LongAdder notSent = new LongAdder();
    AtomicLong sent = new AtomicLong();
    long start = System.nanoTime();
    long end = start + Duration.ofSeconds(seconds).toNanos();
    long nextReport = start + Duration.ofSeconds(10).toNanos();
    long due = 0;
    System.out.println("load started: " + (open ? "open loop " + rate + " frames/s" : "closed loop") + ", " + connections
        + " clients, " + batch + " frames per request, " + seconds + " s");
    while (System.nanoTime() < end) {
      long now = System.nanoTime();
      if (open) {
        long target = (long) ((now - start) / 1e9 * rate / batch);
        for (; due < target; due++) {
          if (!clients.tryAcquire()) {
            notSent.increment();
            continue;
          }
          send(http, uri, bodies[(int) (sent.getAndIncrement() % bodies.length)], batch, clients, statuses, acceptedFrames, missingRetryAfter);
        }
        Thread.sleep(1);
      } else {
        clients.acquire();
        send(http, uri, bodies[(int) (sent.getAndIncrement() % bodies.length)], batch, clients, statuses, acceptedFrames, missingRetryAfter);
      }
      if (now > nextReport) {
        nextReport += Duration.ofSeconds(10).toNanos();
        System.out.printf("t=%ds sent=%d accepted_frames=%d not_sent=%d statuses=%s%n", (now - start) / 1_000_000_000L,
            sent.get(), acceptedFrames.sum(), notSent.sum(), new TreeMap<>(statuses));
      }
    }
    // Let the answers in flight come back (bounded by the request timeout).
    clients.acquire(connections);
    double elapsed = (System.nanoTime() - start) / 1e9;
    StringBuilder p = new StringBuilder();
    p.append("mode=").append(open ? "open" : "closed").append('\n')
        .append("seconds=").append(String.format("%.1f", elapsed)).append('\n')
        .append("offered_frames_per_s=").append(open ? String.format("%.0f", rate) : "").append('\n')
        .append("requests_sent=").append(sent.get()).append('\n')
        .append("requests_not_sent=").append(notSent.sum()).append('\n')
        .append("accepted_frames=").append(acceptedFrames.sum()).append('\n')
        .append("accepted_frames_per_s=").append(String.format("%.0f", acceptedFrames.sum() / elapsed)).append('\n')
        .append("refusals_without_retry_after=").append(missingRetryAfter.sum()).append('\n')
        .append("latency_accepted_ms=").append(percentiles(acceptedMs)).append('\n')
        .append("latency_refused_ms=").append(percentiles(refusedMs)).append('\n');
    new TreeMap<>(statuses).forEach((k, v) -> p.append("status_").append(k).append('=').append(v.sum()).append('\n'));
    Files.writeString(out, p.toString());
    System.out.print(p);
    System.exit(0);
  }

  /** Milliseconds from send to answer, of writes accepted (202) and of writes refused (429/503). */
  static final java.util.Queue<Long> acceptedMs = new java.util.concurrent.ConcurrentLinkedQueue<>();
  static final java.util.Queue<Long> refusedMs = new java.util.concurrent.ConcurrentLinkedQueue<>();

  static String percentiles(java.util.Queue<Long> q) {
    long[] v = q.stream().mapToLong(Long::longValue).sorted().toArray();
    if (v.length == 0) return "n=0";
    return String.format("n=%d p50=%d p95=%d p99=%d max=%d", v.length, v[(int) (0.5 * (v.length - 1))],
        v[(int) (0.95 * (v.length - 1))], v[(int) (0.99 * (v.length - 1))], v[v.length - 1]);
  }

  private static void send(HttpClient http, URI uri, byte[] body, int batch, Semaphore clients, Map<String, LongAdder> statuses,
                           LongAdder acceptedFrames, LongAdder missingRetryAfter) {
    long sentAt = System.nanoTime();
    HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, err) -> {
      try {
        String key;
        if (err != null) {
          Throwable c = err.getCause() != null ? err.getCause() : err;
          key = c.getClass().getSimpleName();
        } else {
          key = String.valueOf(r.statusCode());
          long ms = (System.nanoTime() - sentAt) / 1_000_000L;
          if (r.statusCode() == 202) acceptedMs.add(ms);
          if (r.statusCode() == 429 || r.statusCode() == 503) refusedMs.add(ms);
          if (r.statusCode() == 202) acceptedFrames.add(batch);
          if ((r.statusCode() == 429 || r.statusCode() == 503) && r.headers().firstValue("Retry-After").isEmpty()) {
            missingRetryAfter.increment();
          }
        }
        statuses.computeIfAbsent(key, k -> new LongAdder()).increment();
      } finally {
        long waitS = err != null || backoff == null || (r.statusCode() != 429 && r.statusCode() != 503) ? 0
            : r.headers().firstValue("Retry-After").map(v -> { try { return Long.parseLong(v.trim()); } catch (NumberFormatException e) { return 1L; } }).orElse(1L);
        if (waitS > 0) backoff.schedule((Runnable) clients::release, waitS, java.util.concurrent.TimeUnit.SECONDS);
        else clients.release();
      }
    });
  }

  /** BATCH frames of 200 cameras, 1-4 detections each, about 250 B a frame. */
  private static byte[] body(int variant, int batch) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < batch; i++) {
      int cam = (variant * batch + i) % 200;
      b.append("{\"camera_id\":\"ovl-").append(cam).append("\",\"frame_id\":").append(variant * 1000 + i)
          .append(",\"model_type\":\"yolov8n\",\"detections\":[");
      int n = 1 + (variant + i) % 4;
      for (int d = 0; d < n; d++) {
        if (d > 0) b.append(',');
        int x = (variant * 37 + d * 91 + i * 13) % 1100;
        b.append("{\"label\":\"").append(LABELS[(variant + d) % LABELS.length]).append("\",\"confidence\":0.")
            .append(50 + (variant + d * 7) % 49).append(",\"bbox\":[").append(x).append(",100,").append(x + 80).append(",300]}");
      }
      b.append("]}\n");
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }
}
