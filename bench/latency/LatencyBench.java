import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The two latencies issue 14 asks for, measured from outside the gateway with a real SockJS client (the
 * WebSocket transport at /eventbus/{server}/{session}/websocket, event-bus bridge protocol: register,
 * ping), as the dashboard page connects. Compiled against the gateway's fat jar (Vert.x is in it).
 *
 * <pre>
 *   LatencyBench ingest &lt;httpPort&gt; &lt;runs&gt; &lt;seconds&gt; &lt;warmupSeconds&gt; &lt;framesPerSecond&gt; &lt;cameras&gt; &lt;metricsDir&gt;
 *   LatencyBench assess &lt;httpPort&gt; &lt;runs&gt; &lt;seconds&gt; &lt;warmupSeconds&gt; &lt;metricsDir&gt;
 * </pre>
 *
 * ingest: frames are POSTed one per request, open loop at a fixed rate over {@code cameras} cameras; each
 * carries {@code bench_sent_ns} (System.nanoTime() taken just before the request is written: sender and
 * SockJS client are this one process, so one clock) which the gateway passes through to the live frame.
 * Latency = arrival of the SockJS frame - stamp. Reference in the same run: the same frames' POST -> 202.
 *
 * assess: the gateway runs --demo; every assessment on argus.assessments is timed from its frame's
 * detected_at (the simulated camera's clock = this machine's wall clock) to its arrival here.
 *
 * Prints key=value lines (one block per run, then the medians over the runs) for run.sh's report.
 */
public final class LatencyBench {
  private static final long PING_MS = 5000;

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int port = Integer.parseInt(args[1]);
    int runs = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    int warmup = Integer.parseInt(args[4]);
    // Two event loops: the SockJS client and the HTTP sender must not queue behind each other.
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    int rc = 1;
    try {
      rc = switch (mode) {
        case "ingest" -> ingest(vertx, port, runs, seconds, warmup, Integer.parseInt(args[5]), Integer.parseInt(args[6]),
            new Metrics(args[7]));
        case "assess" -> assess(vertx, port, runs, seconds, warmup, new Metrics(args[5]));
        default -> throw new IllegalArgumentException("mode: ingest | assess");
      };
    } catch (Exception e) {
      e.printStackTrace();
    }
    vertx.close();
    System.exit(rc);
  }

  // ---- ingest -> SockJS ------------------------------------------------------------------------------

  /** One measured window: what was sent, what came back, what arrived on the bus. */
  private static final class Window {
    final long fromSeq;
    volatile long toSeq = Long.MAX_VALUE;
    final LongList ack = new LongList();
    final LongList push = new LongList();
    final AtomicLong acked = new AtomicLong();
    final AtomicLong failed = new AtomicLong();

    Window(long fromSeq) {
      this.fromSeq = fromSeq;
    }

    boolean in(long seq) {
      return seq >= fromSeq && seq < toSeq;
    }
  }

  private static int ingest(Vertx vertx, int port, int runs, int seconds, int warmup, int rate, int cameras, Metrics metrics) throws Exception {
    AtomicLong seq = new AtomicLong();
    Window[] current = {new Window(Long.MAX_VALUE)};
    // Pushes are matched to the latest window by their seq (they may arrive after it closed); acks to the
    // window their request was sent in.
    Window[] recent = {new Window(Long.MAX_VALUE)};
    AtomicLong arrivedTotal = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    Sock sock = Sock.connect(vertx, port, List.of("argus.detections"), m -> {
      long now = System.nanoTime();
      JsonObject body = m.getJsonObject("body");
      if (body == null || !body.containsKey("bench_sent_ns")) return;
      arrivedTotal.incrementAndGet();
      Window w = recent[0];
      long s = body.getLong("bench_seq");
      if (w.in(s)) w.push.add(now - body.getLong("bench_sent_ns"));
    }).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        // Enough connections that the pool never paces the open loop (Little's law: 1,000/s x even 100 ms = 100).
        new PoolOptions().setHttp1MaxSize(256));
    RequestOptions post = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI("/api/v1/detections").putHeader("content-type", "application/json");
    Sender sender = new Sender(vertx, rate, () -> {
      long s = seq.getAndIncrement();
      String camera = "lat-" + (s % cameras);
      Window w = current[0];
      long t0 = System.nanoTime();
      // Stamped just before the request goes out; the gateway passes unknown fields through untouched.
      Buffer frame = Buffer.buffer("{\"camera_id\":\"" + camera + "\",\"frame_id\":" + s + ",\"timestamp\":"
          + System.currentTimeMillis() + ",\"model_type\":\"bench\",\"detections\":[{\"label\":\"person\","
          + "\"confidence\":0.9,\"bbox\":[10,20,110,220]}],\"bench_seq\":" + s + ",\"bench_sent_ns\":" + t0 + "}");
      http.request(post).compose(req -> req.send(frame)).onComplete(ar -> {
        long t1 = System.nanoTime();
        boolean ok = ar.succeeded() && ar.result().statusCode() == 202;
        if (!ok && errors.getAndIncrement() < 5) {
          System.err.println("POST failed: " + (ar.succeeded() ? "status " + ar.result().statusCode() : ar.cause()));
        }
        if (ar.succeeded()) ar.result().body();
        if (!w.in(s)) return;
        if (ok) {
          w.acked.incrementAndGet();
          w.ack.add(t1 - t0);
        } else {
          w.failed.incrementAndGet();
        }
      });
    });
    sender.start();
    warmUp(port, warmup);
    List<Props> results = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      metrics.snapshot(port, "run" + run + "-start");
      Window w = new Window(seq.get());
      current[0] = w;
      recent[0] = w;
      Thread.sleep(seconds * 1000L);
      w.toSeq = seq.get();
      current[0] = new Window(Long.MAX_VALUE); // frames sent between runs belong to none
      long sent = w.toSeq - w.fromSeq;
      // Every frame of the window is answered (or 10 s passed: a backlog, reported as unanswered); pushes
      // follow their 202 by a few ms, so 500 ms more lets the last of them arrive.
      for (int i = 0; i < 100 && w.acked.get() + w.failed.get() < sent; i++) Thread.sleep(100);
      Thread.sleep(500);
      metrics.snapshot(port, "run" + run + "-end");
      Props p = new Props("run" + run);
      p.put("sent", sent);
      p.put("offered_per_s", (double) sent / seconds);
      p.put("acked_202", w.acked.get());
      p.put("failed", w.failed.get());
      p.put("unanswered", sent - w.acked.get() - w.failed.get());
      if (sent - w.acked.get() - w.failed.get() > sent / 100) {
        System.out.println("# WARNING run" + run + ": the gateway did not keep up with " + rate + " frames/s (over 1% of the"
            + " window's frames unanswered 10 s after it): its figures measure a backlog, not the pipeline's latency");
      }
      p.put("arrived", w.push.size());
      p.put("arrived_share", sent == 0 ? 0 : (double) w.push.size() / sent);
      p.hist("push", w.push);
      p.hist("ack", w.ack);
      p.put("push_p99_over_ack_p99", ratio(p.get("push_p99_ms"), p.get("ack_p99_ms")));
      System.out.println(p.text());
      results.add(p);
    }
    sender.stop();
    sock.close();
    http.close();
    System.out.println(Props.medians(results).text());
    return 0;
  }

  /** Open loop: frames are due at fixed times; a late tick sends what fell due (no coordinated omission). */
  private static final class Sender {
    private final Vertx vertx;
    private final long intervalNs;
    private final Runnable sendOne;
    private long timer = -1;
    private long startNs;
    private long sentCount;

    Sender(Vertx vertx, int rate, Runnable sendOne) {
      this.vertx = vertx;
      this.intervalNs = 1_000_000_000L / rate;
      this.sendOne = sendOne;
    }

    void start() {
      startNs = System.nanoTime();
      timer = vertx.setPeriodic(1, id -> {
        long due = (System.nanoTime() - startNs) / intervalNs + 1;
        while (sentCount < due) {
          sentCount++;
          sendOne.run();
        }
      });
    }

    void stop() {
      vertx.cancelTimer(timer);
    }
  }

  /** Below this much compilation per 10 s (10% of a core), a JVM's JIT has settled. */
  private static final long JIT_SETTLED_MS = Long.getLong("bench.jitSettledMs", 1000);
  /** The longest warm-up waits for the JIT; the report says when it gave up. */
  private static final long WARMUP_MAX_S = Long.getLong("bench.warmupMaxS", 360);

  /**
   * The load runs at least {@code minSeconds}, then until the JIT of both the gateway (its
   * jvm_compilation_time_ms_total) and this client has settled: a fresh gateway's C2 compiler takes one of
   * the two cores for two to three minutes of load (measured 2026-12-01: ~1 s of compilation per second, then
   * under 0.1 s), and windows taken before that measure the compiler, not the pipeline.
   */
  private static void warmUp(int port, int minSeconds) throws Exception {
    long start = System.nanoTime();
    Thread.sleep(minSeconds * 1000L);
    var self = java.lang.management.ManagementFactory.getCompilationMXBean();
    long gw = Metrics.gatewayJitMs(port);
    long me = self.getTotalCompilationTime();
    while (true) {
      Thread.sleep(10_000);
      long gwNow = Metrics.gatewayJitMs(port);
      long meNow = self.getTotalCompilationTime();
      long waited = (System.nanoTime() - start) / 1_000_000_000L;
      boolean settled = gwNow - gw < JIT_SETTLED_MS && meNow - me < JIT_SETTLED_MS;
      System.err.printf("warm-up %d s: JIT compiled %d ms in the gateway, %d ms here over the last 10 s%n", waited, gwNow - gw, meNow - me);
      if (settled || waited >= WARMUP_MAX_S) {
        System.out.println("warmup_s=" + waited);
        System.out.println("jit_settled=" + (settled ? "yes" : "no"));
        return;
      }
      gw = gwNow;
      me = meNow;
    }
  }

  // ---- detection -> assessment -----------------------------------------------------------------------

  private static int assess(Vertx vertx, int port, int runs, int seconds, int warmup, Metrics metrics) throws Exception {
    LongList[] all = {null};
    LongList[] llm = {null};
    LongList[] callMs = {null};
    LongList[] added = {null};
    Sock sock = Sock.connect(vertx, port, List.of("argus.assessments"), m -> {
      long now = System.currentTimeMillis();
      JsonObject a = m.getJsonObject("body");
      LongList into = all[0];
      if (a == null || into == null || a.getString("detected_at") == null) return;
      long ms = now - Instant.parse(a.getString("detected_at")).toEpochMilli();
      into.add(ms * 1_000_000L);
      if ("llm".equals(a.getString("source"))) {
        llm[0].add(ms * 1_000_000L);
        long callMsOf = a.getLong("latency_ms", 0L);
        callMs[0].add(callMsOf * 1_000_000L);
        added[0].add(Math.max(0, ms - callMsOf) * 1_000_000L);
      }
    }).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    warmUp(port, warmup);
    List<Props> results = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      LongList a = new LongList();
      LongList l = new LongList();
      LongList c = new LongList();
      LongList d = new LongList();
      llm[0] = l;
      callMs[0] = c;
      added[0] = d;
      metrics.snapshot(port, "run" + run + "-start");
      all[0] = a;
      Thread.sleep(seconds * 1000L);
      all[0] = null;
      metrics.snapshot(port, "run" + run + "-end");
      Props p = new Props("run" + run);
      p.put("assessments", a.size());
      p.put("llm_share", a.size() == 0 ? 0 : (double) l.size() / a.size());
      p.hist("d2a", a);
      p.hist("d2a_llm", l);
      // The provider's own latency as the gateway saw it (the assessment's latency_ms): the floor.
      p.hist("llm_call", c);
      // Per assessment, d2a minus its own provider call: the time Argus added (bridge, queue, aggregation, push).
      p.hist("argus_added", d);
      p.put("d2a_p95_over_llm_call_p95", ratio(p.get("d2a_p95_ms"), p.get("llm_call_p95_ms")));
      System.out.println(p.text());
      results.add(p);
    }
    sock.close();
    System.out.println(Props.medians(results).text());
    return 0;
  }

  // ---- the SockJS client -----------------------------------------------------------------------------

  /** SockJS over its WebSocket transport with the Vert.x event-bus bridge protocol, receive only. */
  private static final class Sock {
    private final Vertx vertx;
    private final WebSocketClient client;
    private WebSocket ws;
    private long pinger = -1;

    private Sock(Vertx vertx, WebSocketClient client) {
      this.vertx = vertx;
      this.client = client;
    }

    static Future<Sock> connect(Vertx vertx, int port, List<String> addresses, Consumer<JsonObject> onMessage) {
      WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20)
          .setMaxMessageSize(1 << 22));
      Sock sock = new Sock(vertx, client);
      // As sockjs-client does: a random server id (3 digits) and session id, then /websocket.
      String uri = "/eventbus/" + (100 + (int) (Math.random() * 900)) + "/" + UUID.randomUUID().toString().substring(0, 8)
          + "/websocket";
      Promise<Sock> opened = Promise.promise();
      return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri)).compose(ws -> {
        sock.ws = ws;
        ws.textMessageHandler(frame -> {
          char c = frame.isEmpty() ? ' ' : frame.charAt(0);
          if (c == 'o') {
            addresses.forEach(a -> sock.send(new JsonObject().put("type", "register").put("address", a)));
            sock.pinger = vertx.setPeriodic(PING_MS, id -> sock.send(new JsonObject().put("type", "ping")));
            // The register is a message like any other: give the bridge a moment to have handled it.
            vertx.setTimer(200, t -> opened.tryComplete(sock));
          } else if (c == 'a') {
            new JsonArray(frame.substring(1)).forEach(m -> onMessage.accept(new JsonObject((String) m)));
          } else if (c == 'c') {
            opened.tryFail("the event bus closed the connection: " + frame.substring(1));
          }
        });
        ws.closeHandler(v -> opened.tryFail("the event bus closed the connection"));
        return opened.future();
      });
    }

    private void send(JsonObject message) {
      ws.writeTextMessage(new JsonArray().add(message.encode()).encode());
    }

    void close() throws Exception {
      if (pinger >= 0) vertx.cancelTimer(pinger);
      CompletableFuture<Void> done = ws.close().transform(v -> client.close()).toCompletionStage().toCompletableFuture();
      done.get(10, TimeUnit.SECONDS);
    }
  }

  /** Saves the gateway's /metrics at the edges of each window (run.sh reads the stage timers' deltas from them). */
  private record Metrics(String dir) {
    /** The gateway's accumulated JIT compilation time, from its /metrics. */
    static long gatewayJitMs(int port) throws Exception {
      String text = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      return text.lines().filter(l -> l.startsWith("jvm_compilation_time_ms_total"))
          .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    void snapshot(int port, String name) {
      try {
        java.net.http.HttpResponse<java.nio.file.Path> r = java.net.http.HttpClient.newHttpClient().send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofFile(java.nio.file.Path.of(dir, name + ".prom")));
        if (r.statusCode() != 200) System.err.println("/metrics answered " + r.statusCode());
      } catch (Exception e) {
        System.err.println("could not read /metrics: " + e);
      }
    }
  }

  // ---- histograms and output -------------------------------------------------------------------------

  /** A growable array of nanosecond samples; sorted once for the percentiles (nearest rank). */
  private static final class LongList {
    private long[] a = new long[1 << 14];
    private int n;

    synchronized void add(long v) {
      if (n == a.length) a = Arrays.copyOf(a, n * 2);
      a[n++] = v;
    }

    synchronized int size() {
      return n;
    }

    synchronized long[] sorted() {
      long[] s = Arrays.copyOf(a, n);
      Arrays.sort(s);
      return s;
    }
  }

  private static double ratio(Double a, Double b) {
    return a == null || b == null || b == 0 ? Double.NaN : a / b;
  }

  /** Ordered key=value results of one run (or the medians of several). */
  private static final class Props {
    final String name;
    final List<String> keys = new ArrayList<>();
    final ConcurrentHashMap<String, Double> values = new ConcurrentHashMap<>();

    Props(String name) {
      this.name = name;
    }

    void put(String key, double v) {
      if (!values.containsKey(key)) keys.add(key);
      values.put(key, v);
    }

    Double get(String key) {
      return values.get(key);
    }

    void hist(String prefix, LongList samples) {
      long[] s = samples.sorted();
      put(prefix + "_n", s.length);
      if (s.length == 0) return;
      for (double q : new double[] {0.50, 0.95, 0.99}) {
        int rank = (int) Math.ceil(q * s.length) - 1;
        put(prefix + "_p" + Math.round(q * 100) + "_ms", s[Math.max(0, rank)] / 1e6);
      }
      put(prefix + "_max_ms", s[s.length - 1] / 1e6);
    }

    String text() {
      StringBuilder b = new StringBuilder();
      for (String k : keys) {
        double v = values.get(k);
        b.append(name).append('.').append(k).append('=')
            .append(v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.3f", v))
            .append('\n');
      }
      return b.toString().trim();
    }

    static Props medians(List<Props> runs) {
      Props m = new Props("median");
      for (String k : runs.get(0).keys) {
        double[] v = runs.stream().map(r -> r.get(k)).filter(x -> x != null && !x.isNaN()).mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length > 0) m.put(k, v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2);
      }
      return m;
    }
  }
}
