package dev.argus.it;

import dev.argus.it.HostileRequests.Req;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Hostile input (issue 9, point 5): generated requests against a whole gateway (embedded Kafka, the Redis
 * store) on every route: ingest (JSON, arrays, NDJSON, CloudEvents; by length and chunked), WebSocket
 * ingest, every read route and its parameters, the admin and feedback writes, and malformed HTTP on raw
 * sockets. Every answer must be a response (never a silent close), below 500, free of stack traces and
 * Java class names, and every error must have the contract's shape. The heap, after a full GC, must be
 * about where it was before the storm.
 *
 * <p>Well-formed requests are pipelined on keep-alive connections (several at once), so 100,000 requests
 * take minutes, not hours. The count, duration and heap figures are printed at the end ("HOSTILE ...").
 */
class HostileInputIT {
  /**
   * {@code -Dhostile.scale=0.25} shrinks every batch and session (the tries stay): 1.0, the default, is about
   * 106,000 requests, which needs a machine that is not already running at many times its cores.
   */
  static final double SCALE = Double.parseDouble(System.getProperty("hostile.scale", "1"));
  static final int BATCH = (int) Math.max(1, Math.round(100 * SCALE));
  static final int CONNECTIONS = 20;
  static final int BODY_LIMIT = 1_048_576;
  /** The heap may grow by this much at most over the whole run (after GC): caches are bounded, leaks are not. */
  static final long HEAP_BOUND = 96L * 1024 * 1024;
  static final int READ_TIMEOUT_MS = 30_000;

  /** A frame of a JVM stack trace, or a Java class name (package-qualified, or a bare *Exception). */
  static final Pattern LEAK = Pattern.compile("\\bat [\\w$.]+\\([\\w$]*(\\.java:\\d+)?\\)"
      + "|\\b(java|javax|jdk|sun|io\\.vertx|io\\.netty|com\\.fasterxml|dev\\.argus|org\\.apache|io\\.micrometer)\\.[a-z]\\w*\\.[\\w.$]+"
      + "|\\b[A-Z]\\w*(Exception|Error)\\b|\\b[A-Z]\\w+Feature\\.[A-Z_]+");

  static Gateway gateway;
  static ThrowawayRedis redis;
  static java.nio.file.Path redisDir;
  static ExecutorService pool;
  static final AtomicLong requests = new AtomicLong();
  static final AtomicLong wsMessages = new AtomicLong();
  static final AtomicLong responses = new AtomicLong();
  /** Time spent on the wire (writing and waiting for answers), against the run's total: the rest is generation. */
  static final AtomicLong wireNanos = new AtomicLong();
  /** Per kind of request (method and route): how many, and the time the gateway took for them. */
  static final java.util.Map<String, AtomicLong[]> costs = new java.util.concurrent.ConcurrentHashMap<>();

  static String kind(Req r) {
    String method = r.what().substring(0, Math.max(0, r.what().indexOf(' ')));
    String p = r.path().replaceAll("\\?.*", "");
    String[] seg = p.split("/");
    String route = seg.length > 3 ? "/" + seg[1] + "/" + seg[2] + "/" + seg[3] + (seg.length > 5 ? "/*/" + seg[5] : seg.length > 4 ? "/*" : "") : p;
    return method + " " + route;
  }

  static String topCosts() {
    return costs.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1].get(), a.getValue()[1].get())).limit(12)
        .map(e -> String.format("%s n=%d total=%ds avg=%.1fms", e.getKey(), e.getValue()[0].get(), e.getValue()[1].get() / 1_000_000_000L,
            e.getValue()[1].get() / 1e6 / e.getValue()[0].get()))
        .collect(java.util.stream.Collectors.joining("\n  "));
  }
  /** Broken chunked framing inside a body: closed by the codec without an answer (documented). */
  static final AtomicLong closedOnFraming = new AtomicLong();
  /** Request lines with an HTTP version other than 1.x: Vert.x answers 501 before any handler (documented). */
  static final AtomicLong unsupportedVersion = new AtomicLong();
  /** Answers that end their connection ({@code Connection: close}, e.g. 414/431): the rest is sent again. */
  static final java.util.Map<Integer, AtomicLong> closingAnswers = new java.util.concurrent.ConcurrentHashMap<>();
  /** Invalid UTF-8 text messages answered (decoded with U+FFFD) instead of closed with 1007: a known gap. */
  static final AtomicLong wsInvalidUtf8Answered = new AtomicLong();
  static long heapBefore;
  static long started;

  @BeforeContainer
  static void start() throws Exception {
    // A Redis of its own: the shared one holds other branches' records (an alert level this build does not
    // know answers the alert list 503), which would be counted against this test.
    redisDir = java.nio.file.Files.createTempDirectory("hostile-redis");
    redis = new ThrowawayRedis(redisDir);
    redis.start();
    gateway = Gateway.start(Gateway.onTestKafka().put("redis", new JsonObject().put("url", redis.url())));
    pool = Executors.newFixedThreadPool(CONNECTIONS);
    // Warm up (class loading, connections, the first camera) before the heap's starting point.
    for (int i = 0; i < 50; i++) {
      gateway.post("/api/v1/detections", "application/json", HostileRequests.validFrame("hostile-valid-" + (i % 8), i));
      gateway.get("/api/v1/cameras");
      gateway.get("/api/v1/alerts");
    }
    heapBefore = heapAfterGc();
    started = System.nanoTime();
    Thread progress = new Thread(() -> {
      while (true) {
        try {
          Thread.sleep(30_000);
        } catch (InterruptedException e) {
          return;
        }
        System.out.printf("HOSTILE progress: %d requests in %d s%n", requests.get() + wsMessages.get(),
            (System.nanoTime() - started) / 1_000_000_000L);
      }
    }, "hostile-progress");
    progress.setDaemon(true);
    progress.start();
  }

  @AfterContainer
  static void stop() throws Exception {
    try {
      long seconds = (System.nanoTime() - started) / 1_000_000_000L;
      // A write accepted just now is still on its way through the stages; let them settle first.
      Thread.sleep(5000);
      long heapAfter = heapAfterGc();
      System.out.printf("HOSTILE requests=%d (http=%d, ws messages=%d) responses=%d closed-on-body-framing=%d "
              + "version-501=%d closing-answers=%s ws-invalid-utf8-answered=%d duration=%ds (well-framed on the wire %ds) heap before=%dMB after=%dMB%n",
          requests.get() + wsMessages.get(), requests.get(), wsMessages.get(), responses.get(), closedOnFraming.get(),
          unsupportedVersion.get(), closingAnswers, wsInvalidUtf8Answered.get(), seconds, wireNanos.get() / 1_000_000_000L,
          heapBefore >> 20, heapAfter >> 20);
      System.out.println("HOSTILE gateway time by kind of request:\n  " + topCosts());
      if (heapAfter - heapBefore > HEAP_BOUND) {
        throw new AssertionError("the heap grew from " + (heapBefore >> 20) + " MB to " + (heapAfter >> 20) + " MB after GC");
      }
    } finally {
      if (pool != null) pool.shutdownNow();
      if (gateway != null) gateway.close();
      if (redis != null) redis.stop();
    }
  }

  static long heapAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(300);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  // ------------------------------------------------------------------ properties

  @Provide
  Arbitrary<List<Req>> batches() {
    return HostileRequests.wellFramed(BODY_LIMIT).list().ofSize(BATCH);
  }

  /** Well-framed HTTP with hostile content, pipelined over {@link #CONNECTIONS} keep-alive connections. */
  @Property(tries = 900, shrinking = ShrinkingMode.OFF)
  void wellFramedRequestsAreAnsweredInTheContract(@ForAll("batches") List<Req> batch) throws Exception {
    long t = System.nanoTime();
    try {
      wellFramed(batch);
    } finally {
      wireNanos.addAndGet(System.nanoTime() - t);
    }
  }

  private void wellFramed(List<Req> batch) throws Exception {
    List<Req> pipelined = new ArrayList<>();
    List<Req> solo = new ArrayList<>();
    for (Req r : batch) (r.solo() ? solo : pipelined).add(r);
    List<Future<List<String>>> parts = new ArrayList<>();
    int per = (pipelined.size() + CONNECTIONS - 1) / CONNECTIONS;
    for (int i = 0; i < pipelined.size(); i += per) {
      List<Req> part = pipelined.subList(i, Math.min(pipelined.size(), i + per));
      parts.add(pool.submit(() -> exchange(part)));
    }
    List<String> problems = new ArrayList<>();
    for (Req r : solo) problems.addAll(exchange(List.of(r)));
    for (Future<List<String>> f : parts) problems.addAll(f.get());
    if (!problems.isEmpty()) throw new AssertionError(problems.size() + " problem(s):\n" + String.join("\n", problems));
  }

  @Provide
  Arbitrary<List<Req>> malformedBatches() {
    return HostileRequests.malformed().list().ofSize((int) Math.max(1, Math.round(10 * SCALE)));
  }

  /** Malformed HTTP, one connection each: the gateway answers (a 4xx in the error shape) before it closes. */
  @Property(tries = 400, shrinking = ShrinkingMode.OFF)
  void malformedHttpIsAnsweredBeforeTheConnectionCloses(@ForAll("malformedBatches") List<Req> batch) throws Exception {
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    List<Future<?>> done = new ArrayList<>();
    for (Req r : batch) {
      done.add(pool.submit(() -> {
        requests.incrementAndGet();
        try (RawHttp c = new RawHttp(gateway.port, READ_TIMEOUT_MS)) {
          RawHttp.Response resp = c.exchange(r.bytes());
          String p = check(r, resp, false);
          if (p != null) problems.add(p);
        }
        return null;
      }));
    }
    for (Future<?> f : done) f.get();
    if (!problems.isEmpty()) throw new AssertionError(problems.size() + " problem(s):\n" + String.join("\n", problems));
  }

  /** A WebSocket message to send, and how the gateway must react. */
  record WsMsg(String what, int opcode, boolean fin, byte[] payload, Expect expect) {
    enum Expect { REPLY, PONG, NOTHING, CLOSE }

    @Override
    public String toString() {
      return what + " " + HostileRequests.preview(payload);
    }
  }

  @Provide
  Arbitrary<List<WsMsg>> wsSessions() {
    Arbitrary<WsMsg> text = HostileRequests.frameText().map(HostileRequests::utf8)
        .filter(b -> b.length < BODY_LIMIT)
        .map(b -> new WsMsg("text", RawWebSocket.TEXT, true, b, WsMsg.Expect.REPLY));
    Arbitrary<WsMsg> valid = Arbitraries.longs().between(0, 1_000_000).map(n -> new WsMsg("valid", RawWebSocket.TEXT, true,
        HostileRequests.utf8(HostileRequests.validFrame("hostile-ws-" + (n % 32), n)), WsMsg.Expect.REPLY));
    Arbitrary<WsMsg> odd = HostileRequests.ingestBodies().filter(b -> b.length < BODY_LIMIT)
        .map(b -> new WsMsg("body", RawWebSocket.TEXT, true, HostileRequests.utf8(new String(b, StandardCharsets.UTF_8)),
            WsMsg.Expect.REPLY));
    Arbitrary<WsMsg> binary = HostileRequests.randomBytes(0, 500)
        .map(b -> new WsMsg("binary", RawWebSocket.BINARY, true, b, WsMsg.Expect.REPLY));
    Arbitrary<WsMsg> ping = Arbitraries.bytes().array(byte[].class).ofMaxSize(100)
        .map(b -> new WsMsg("ping", RawWebSocket.PING, true, b, WsMsg.Expect.PONG));
    Arbitrary<WsMsg> pong = Arbitraries.just(new WsMsg("unsolicited pong", RawWebSocket.PONG, true, new byte[0], WsMsg.Expect.NOTHING));
    Arbitrary<List<WsMsg>> messages = Arbitraries.frequencyOf(Tuple.of(6, text), Tuple.of(4, valid), Tuple.of(3, odd),
        Tuple.of(1, binary), Tuple.of(1, ping), Tuple.of(1, pong)).list().ofMinSize((int) Math.max(2, 20 * SCALE)).ofMaxSize((int) Math.max(3, 60 * SCALE));
    // A session may end with a message the protocol answers by closing: invalid UTF-8, or one too large.
    Arbitrary<List<WsMsg>> ending = Arbitraries.oneOf(
        Arbitraries.just(List.<WsMsg>of()),
        HostileRequests.invalidUtf8().filter(b -> !validUtf8(b))
            .map(b -> List.of(new WsMsg("invalid utf-8", RawWebSocket.TEXT, true, b, WsMsg.Expect.CLOSE))),
        Arbitraries.integers().between(BODY_LIMIT + 1, 2 * BODY_LIMIT).map(n -> List.of(new WsMsg("oversized " + n,
            RawWebSocket.TEXT, true, ("[" + " ".repeat(n - 2) + "]").getBytes(StandardCharsets.UTF_8), WsMsg.Expect.CLOSE))));
    return Combinators.combine(messages, ending).as((m, e) -> {
      List<WsMsg> all = new ArrayList<>(m);
      all.addAll(e);
      return all;
    });
  }

  /** WebSocket ingest: every message is answered in order, with {@code seq}, in the contract's shape. */
  @Property(tries = 300, shrinking = ShrinkingMode.OFF)
  void webSocketMessagesAreAnsweredInOrder(@ForAll("wsSessions") List<WsMsg> session) throws Exception {
    requests.incrementAndGet(); // the upgrade
    List<String> problems = new ArrayList<>();
    try (RawWebSocket ws = new RawWebSocket(gateway.port, "/api/v1/detections/ws", READ_TIMEOUT_MS)) {
      if (ws.upgradeStatus != 101) throw new AssertionError("upgrade answered " + ws.upgradeStatus);
      // A message the protocol answers by closing goes last, once every earlier one was answered: the close
      // ends the connection, and answers still waiting for their broker ack would be cut off with it.
      List<WsMsg> ordinary = session.stream().filter(m -> m.expect() != WsMsg.Expect.CLOSE).toList();
      Thread writer = new Thread(() -> {
        try {
          for (WsMsg m : ordinary) ws.send(m.opcode(), m.fin(), m.payload());
          ws.flush();
        } catch (Exception ignored) {
          // a close by the server ends the writing; the reader reports what is missing
        }
      });
      writer.setDaemon(true);
      writer.start();
      // Answers come in message order; pongs come whenever the server reads the ping, between answers
      // still waiting for their broker ack, so they are counted, not ordered.
      List<WsMsg> answered = ordinary.stream().filter(m -> m.expect() == WsMsg.Expect.REPLY).toList();
      long pings = ordinary.stream().filter(m -> m.expect() == WsMsg.Expect.PONG).count();
      wsMessages.addAndGet(session.size());
      int replies = 0;
      long pongs = 0;
      while (replies < answered.size() || pongs < pings) {
        RawWebSocket.Frame f = ws.next();
        if (f == null) {
          problems.add("connection ended after " + replies + " of " + answered.size() + " answers and " + pongs + " of "
              + pings + " pongs" + (replies < answered.size() ? "; next unanswered: " + answered.get(replies) : ""));
          break;
        }
        if (f.opcode() == RawWebSocket.PONG) {
          pongs++;
          continue;
        }
        if (replies >= answered.size()) {
          problems.add("an answer nothing asked for: opcode " + f.opcode() + " " + f.text());
          break;
        }
        WsMsg m = answered.get(replies++);
        responses.incrementAndGet();
        String p = checkWsReply(m, f, replies);
        if (p != null) problems.add(p);
      }
      writer.join(READ_TIMEOUT_MS);
      for (WsMsg m : session) {
        if (m.expect() != WsMsg.Expect.CLOSE || !problems.isEmpty()) continue;
        try {
          ws.send(m.opcode(), m.fin(), m.payload());
          ws.flush();
        } catch (java.io.IOException closedWhileWriting) {
          // the server may close on the frame header of an oversized message, before all of it is written
        }
        RawWebSocket.Frame f = ws.next();
        while (f != null && f.opcode() == RawWebSocket.PONG) f = ws.next();
        if (f != null && f.opcode() == RawWebSocket.TEXT && m.payload().length <= BODY_LIMIT) {
          // Known gap (reported): Vert.x's UTF-8 check lets some invalid sequences (e.g. an encoded surrogate,
          // ED A0 80) through, decoded as U+FFFD; the message is then answered like any other. Counted.
          wsInvalidUtf8Answered.incrementAndGet();
          String p = checkWsReply(m, f, answered.size() + 1);
          if (p != null) problems.add(p);
        } else if (f == null && m.payload().length > BODY_LIMIT) {
          // Documented: an oversized message is refused on its frame header (1009); the client is still
          // writing the rest, so the close frame can be lost to the TCP reset that follows.
          closedOnFraming.incrementAndGet();
        } else if (f == null || f.opcode() != RawWebSocket.CLOSE || (f.code() != 1007 && f.code() != 1009)) {
          problems.add("expected a close (1007/1009) after " + m + ", got " + (f == null ? "the end of the connection"
              : "opcode " + f.opcode() + " code " + f.code() + " " + f.text()));
        }
      }
    }
    if (!problems.isEmpty()) throw new AssertionError(problems.size() + " problem(s):\n" + String.join("\n", problems));
  }

  // ------------------------------------------------------------------ checks

  /** A NUL byte is valid UTF-8 (the JSON parser refuses it, not the WebSocket): only real decoding errors close. */
  static boolean validUtf8(byte[] b) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }

  /**
   * Pipelines the requests on one connection and checks every answer. A request the gateway refuses with
   * {@code Connection: close} (a request line or header block past the codec's limits: 414/431) ends the
   * connection, as HTTP/1.1 lets it; a client then sends the unanswered rest again on a new connection, and
   * so does this. A connection that ends without saying so is still a missing response.
   */
  static List<String> exchange(List<Req> reqs) throws Exception {
    List<String> problems = new ArrayList<>();
    int from = 0;
    while (from < reqs.size()) {
      List<Req> part = reqs.subList(from, reqs.size());
      int answered = part.size();
      try (RawHttp c = new RawHttp(gateway.port, READ_TIMEOUT_MS)) {
        List<byte[]> bytes = part.stream().map(Req::bytes).toList();
        requests.addAndGet(part.size());
        List<RawHttp.Response> got = c.pipeline(bytes);
        for (int i = 0; i < part.size(); i++) {
          // Served in order: the gap since the previous answer is about what this request cost the gateway.
          long cost = c.arrivals[i] - (i == 0 ? 0 : c.arrivals[i - 1]);
          costs.computeIfAbsent(kind(part.get(i)), k -> new AtomicLong[] {new AtomicLong(), new AtomicLong()});
          costs.get(kind(part.get(i)))[0].incrementAndGet();
          costs.get(kind(part.get(i)))[1].addAndGet(cost);
          String p = check(part.get(i), got.get(i), true);
          if (p != null) problems.add(p);
          if (!got.get(i).none() && "close".equalsIgnoreCase(got.get(i).header("connection"))) {
            if (got.get(i).status() < 400) problems.add("Connection: close on a " + got.get(i).status() + " to " + part.get(i));
            closingAnswers.computeIfAbsent(got.get(i).status(), k -> new AtomicLong()).incrementAndGet();
            answered = i + 1;
            requests.addAndGet(-(part.size() - answered)); // sent again below, counted again there
            break;
          }
        }
      }
      from += answered;
    }
    return problems;
  }

  static String requestId(Req r) {
    String head = new String(r.bytes(), 0, Math.min(r.bytes().length, 4000), StandardCharsets.ISO_8859_1);
    int at = head.indexOf("X-Request-Id: ");
    if (at < 0) return null;
    return head.substring(at + 14, head.indexOf("\r\n", at));
  }

  /** Null when the response keeps the contract, else what is wrong with it. */
  static String check(Req r, RawHttp.Response resp, boolean wellFramed) {
    if (resp.none() && r.closeAllowed() && resp.failure().startsWith("connection closed")) {
      closedOnFraming.incrementAndGet();
      return null;
    }
    if (resp.none()) return "no response (" + resp.failure() + ") to " + r;
    responses.incrementAndGet();
    String body = resp.bodyText();
    String where = resp.status() + " to " + r + ": " + (body.length() > 400 ? body.substring(0, 400) + "..." : body);
    if (r.what().startsWith("HTTP/") && resp.status() == 501) {
      // Documented: a request line with a version other than HTTP/1.x is refused by Vert.x itself (501, then
      // close) before any handler runs; HTTP's own answer to it is a 5xx too (505 Version Not Supported).
      unsupportedVersion.incrementAndGet();
      return null;
    }
    if (resp.status() >= 500) return "5xx: " + where;
    String type = resp.header("content-type") == null ? "" : resp.header("content-type");
    boolean staticFile = type.startsWith("text/html") || type.contains("javascript") || type.startsWith("text/css")
        || r.path().startsWith("/metrics");
    if (!staticFile && LEAK.matcher(body).find()) return "stack trace or class name in " + where;
    if (wellFramed) {
      String id = requestId(r);
      if (id != null && !id.equals(resp.header("x-request-id"))) {
        return "answer out of order (X-Request-Id " + resp.header("x-request-id") + ", sent " + id + "): " + where;
      }
    }
    if (resp.status() >= 400) {
      if (!type.startsWith("application/json")) return "error without a JSON body (" + type + "): " + where;
      String shape = errorShape(body);
      if (shape != null) return shape + ": " + where;
    }
    return null;
  }

  static String errorShape(String body) {
    try {
      JsonObject e = new JsonObject(body);
      if (!(e.getValue("error") instanceof String)) return "no error code";
      if (!(e.getValue("message") instanceof String)) return "no message";
      if (e.getJsonArray("details") == null) return "no details";
      return null;
    } catch (RuntimeException notJson) {
      return "not a JSON object";
    }
  }

  static String checkWsReply(WsMsg m, RawWebSocket.Frame f, long seq) {
    if (f.opcode() != RawWebSocket.TEXT) return "expected a text answer to " + m + ", got opcode " + f.opcode() + " " + f.text();
    String text = f.text();
    if (LEAK.matcher(text).find()) return "stack trace or class name in " + text + " (to " + m + ")";
    JsonObject reply;
    try {
      reply = new JsonObject(text);
    } catch (RuntimeException e) {
      return "answer is not JSON: " + text;
    }
    if (reply.getLong("seq", -1L) != seq) return "answer out of order: expected seq " + seq + ", got " + text;
    if ("accepted".equals(reply.getString("status"))) return null;
    String shape = errorShape(text);
    return shape == null ? null : shape + " in " + text + " (to " + m + ")";
  }
}
