package dev.argus.it;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * jqwik generators of hostile traffic for the gateway: request bodies (deep nesting, huge numbers, NaN,
 * invalid UTF-8, truncation, oversized arrays and labels, wrong types), lying content types, read-route
 * paths and query parameters with bad percent-encoding, and malformed HTTP (request lines, headers,
 * lengths, chunking) that only a raw socket can send.
 */
final class HostileRequests {
  private HostileRequests() {}

  /** One request: its bytes, what it is (for failure messages), and whether it needs a connection of its own. */
  record Req(String what, String path, byte[] bytes, boolean solo, boolean closeAllowed) {
    Req(String what, String path, byte[] bytes, boolean solo) {
      this(what, path, bytes, solo, false);
    }

    @Override
    public String toString() {
      String s = what + " " + path;
      return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
  }

  static final String INGEST = "/api/v1/detections";

  // ---------------------------------------------------------------- bodies

  static String frame(String camera, String frameId, String detections) {
    return "{\"camera_id\":" + camera + ",\"frame_id\":" + frameId + ",\"detections\":" + detections + "}";
  }

  static Arbitrary<String> cameraIds() {
    return Arbitraries.oneOf(
        Arbitraries.strings().alpha().numeric().withChars("-_.").ofMinLength(1).ofMaxLength(24).map(s -> "hostile-" + s),
        Arbitraries.strings().all().ofMaxLength(40),
        Arbitraries.of("", " ", "\u0000", "../../etc/passwd", "<script>alert(1)</script>", "%00", "\u202e", "\uD83D\uDE00"));
  }

  static String jsonString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  /**
   * Long runs of digits and bytes: jqwik draws their length and a seed, plain Java fills them in. (jqwik
   * builds a shrinkable tree per character, which made generating a batch cost more than sending it.)
   */
  static String digits(int n, long seed) {
    java.util.Random r = new java.util.Random(seed);
    char[] c = new char[n];
    for (int i = 0; i < n; i++) c[i] = (char) ('0' + r.nextInt(10));
    return new String(c);
  }

  static Arbitrary<byte[]> randomBytes(int min, int max) {
    return Combinators.combine(Arbitraries.integers().between(min, max), Arbitraries.longs()).as((n, seed) -> {
      byte[] b = new byte[n];
      new java.util.Random(seed).nextBytes(b);
      return b;
    });
  }

  static Arbitrary<String> numbers() {
    return Arbitraries.oneOf(
        Arbitraries.doubles().between(-2, 2).map(d -> Double.toString(d)),
        Arbitraries.of("NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1e-999", "0x10", "01", ".5", "1.", "+1", "-0",
            "\"0.5\"", "null", "true", "[]", "{}", "1E400", "4.9e-324", "1.7976931348623157e309"),
        Combinators.combine(Arbitraries.integers().between(19, 1500), Arbitraries.longs()).as((n, seed) -> "1" + digits(n, seed)),
        Combinators.combine(Arbitraries.integers().between(1, 400), Arbitraries.longs())
            .as((n, seed) -> "0." + digits(n, seed) + "e-" + n));
  }

  static Arbitrary<String> detection() {
    // Oversized labels are rare: a batch of frames full of them would only measure the loopback.
    Arbitrary<String> label = Arbitraries.frequencyOf(
        Tuple.of(20, Arbitraries.of("person", "car", "fire", "knife", "gun", "smoke")),
        Tuple.of(6, Arbitraries.strings().all().ofMaxLength(30).map(HostileRequests::jsonString)),
        Tuple.of(1, Arbitraries.integers().between(1_000, 300_000).map(n -> "\"" + "x".repeat(n) + "\"")),
        Tuple.of(3, Arbitraries.of("null", "1", "[]", "{}", "true")));
    Arbitrary<String> bbox = Arbitraries.oneOf(
        Arbitraries.just("[0,0,10,10]"),
        numbers().list().ofMaxSize(6).map(l -> "[" + String.join(",", l) + "]"),
        Arbitraries.of("null", "\"0,0,1,1\"", "{}", "[[0,0],[1,1]]"));
    return Combinators.combine(label, numbers(), bbox, Arbitraries.of("", ",\"track_id\":7", ",\"track_id\":{}",
            ",\"class\":\"car\"", ",\"label\":\"dup\""))
        .as((l, c, b, extra) -> "{\"label\":" + l + ",\"confidence\":" + c + ",\"bbox\":" + b + extra + "}");
  }

  static Arbitrary<String> detections() {
    return Arbitraries.frequencyOf(
        Tuple.of(30, detection().list().ofMaxSize(8).map(l -> "[" + String.join(",", l) + "]")),
        // oversized arrays: around and past the 1 MB body limit
        Tuple.of(1, Arbitraries.integers().between(1_000, 40_000).map(n -> {
          StringBuilder b = new StringBuilder("[");
          for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ",").append("{\"label\":\"person\",\"confidence\":0.5,\"bbox\":[0,0,9,9]}");
          return b.append(']').toString();
        })),
        Tuple.of(3, Arbitraries.of("null", "{}", "\"[]\"", "[null]", "[1,2]", "[[]]")));
  }

  /** A frame as JSON text, valid or broken in one or more fields. */
  static Arbitrary<String> frameText() {
    Arbitrary<String> camera = Arbitraries.oneOf(cameraIds().map(HostileRequests::jsonString),
        Arbitraries.of("null", "17", "[\"a\"]", "{}", "true"));
    Arbitrary<String> frameId = Arbitraries.oneOf(Arbitraries.integers().map(String::valueOf), numbers(),
        Arbitraries.strings().all().ofMaxLength(20).map(HostileRequests::jsonString));
    Arbitrary<String> extras = Arbitraries.of("", ",\"timestamp\":\"2026-01-01T00:00:00Z\"", ",\"timestamp\":1700000000000",
        ",\"timestamp\":\"yesterday\"", ",\"timestamp\":1e300", ",\"timestamp\":-99999999999999999",
        ",\"timestamp\":\"+999999999-12-31T23:59:59Z\"", ",\"model_type\":\"yolo\"", ",\"image_url\":\"javascript:alert(1)\"",
        ",\"camera_id\":\"dup\"", ",\"image_width\":0,\"image_height\":-1", ",\"x\":" + "[".repeat(40) + "]".repeat(40));
    return Combinators.combine(camera, frameId, detections(), extras)
        .as((c, f, d, e) -> "{\"camera_id\":" + c + ",\"frame_id\":" + f + ",\"detections\":" + d + e + "}");
  }

  static String validFrame(String camera, long frameId) {
    return frame(jsonString(camera), String.valueOf(frameId),
        "[{\"label\":\"person\",\"confidence\":0.8,\"bbox\":[1,2,30,40]}]");
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Bytes no UTF-8 decoder accepts, spliced into an otherwise valid frame. */
  static Arbitrary<byte[]> invalidUtf8() {
    Arbitrary<byte[]> bad = Arbitraries.of(new byte[] {(byte) 0xc3, 0x28}, new byte[] {(byte) 0xff}, new byte[] {(byte) 0xfe},
        new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[] {(byte) 0xc0, (byte) 0xaf},
        new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xe2, (byte) 0x82}, new byte[] {0});
    return Combinators.combine(bad, Arbitraries.integers().between(0, 3)).as((b, where) -> {
      String[] parts = switch (where) {
        case 0 -> new String[] {"{\"camera_id\":\"cam", "\",\"detections\":[]}"};
        case 1 -> new String[] {"{\"camera_id\":\"c\",\"detections\":[{\"label\":\"pe", "rson\",\"confidence\":0.5,\"bbox\":[0,0,1,1]}]}"};
        case 2 -> new String[] {"{\"camera_id\":\"c\",", "\"detections\":[]}"};
        default -> new String[] {"", "{\"camera_id\":\"c\",\"detections\":[]}"};
      };
      ByteArrayOutputStream o = new ByteArrayOutputStream();
      o.writeBytes(utf8(parts[0]));
      o.writeBytes(b);
      o.writeBytes(utf8(parts[1]));
      return o.toByteArray();
    });
  }

  static Arbitrary<byte[]> ingestBodies() {
    Arbitrary<byte[]> one = frameText().map(HostileRequests::utf8);
    Arbitrary<byte[]> valid = Arbitraries.longs().between(0, Long.MAX_VALUE)
        .map(n -> utf8(validFrame("hostile-valid-" + (n % 64), n)));
    Arbitrary<byte[]> batch = frameText().list().ofMinSize(0).ofMaxSize(12).map(l -> utf8("[" + String.join(",", l) + "]"));
    Arbitrary<byte[]> ndjson = frameText().list().ofMinSize(0).ofMaxSize(12)
        .map(l -> utf8(String.join("\n", l) + (l.isEmpty() ? "" : "\n")));
    Arbitrary<byte[]> deep = Combinators.combine(Arbitraries.integers().between(33, 200_000), Arbitraries.of("[", "{\"a\":"))
        .as((n, open) -> utf8(open.repeat(n) + (open.equals("[") ? "]" : "}").repeat(n)));
    Arbitrary<byte[]> deepInFrame = Arbitraries.integers().between(10, 50_000)
        .map(n -> utf8("{\"camera_id\":\"c\",\"detections\":" + "[".repeat(n) + "]".repeat(n) + "}"));
    Arbitrary<byte[]> truncated = Combinators.combine(frameText().list().ofMinSize(1).ofMaxSize(4), Arbitraries.doubles().between(0, 1))
        .as((l, cut) -> {
          byte[] whole = utf8("[" + String.join(",", l) + "]");
          byte[] part = new byte[(int) (whole.length * cut)];
          System.arraycopy(whole, 0, part, 0, part.length);
          return part;
        });
    Arbitrary<byte[]> junk = randomBytes(0, 2000);
    Arbitrary<byte[]> odd = Arbitraries.of("", " ", "\n\n", "null", "true", "0", "\"x\"", "[]", "{}", "[null]", "[[]]", "[{}]",
            "{\"camera_id\":\"c\",\"camera_id\":\"d\",\"detections\":[]}", "\uFEFF{\"camera_id\":\"bom\",\"detections\":[]}",
            "{\"camera_id\":\"c\",\"detections\":[]} trailing", "/* c */{\"camera_id\":\"c\",\"detections\":[]}",
            "{\"camera_id\":\"\\ud800\",\"detections\":[]}", "{\"camera_id\":\"\\uZZZZ\",\"detections\":[]}",
            "{\"camera_id\":\"raw\u0001ctl\",\"detections\":[]}", "{'camera_id':'single','detections':[]}",
            "{\"specversion\":\"1.0\",\"type\":\"x\",\"source\":\"/s\",\"id\":\"1\",\"data\":{\"camera_id\":\"ce\",\"detections\":[]}}",
            "{\"specversion\":\"1.0\",\"data\":\"not an object\"}", "{\"data_base64\":\"AAAA\"}")
        .map(HostileRequests::utf8);
    return Arbitraries.frequencyOf(Tuple.of(10, one), Tuple.of(6, valid), Tuple.of(6, batch), Tuple.of(5, ndjson),
        Tuple.of(2, deep), Tuple.of(2, deepInFrame), Tuple.of(4, truncated), Tuple.of(4, invalidUtf8()), Tuple.of(3, junk),
        Tuple.of(5, odd));
  }

  static Arbitrary<String> contentTypes() {
    return Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.just("application/json")),
        Tuple.of(4, Arbitraries.just("application/x-ndjson")),
        Tuple.of(8, Arbitraries.of(null, "", "text/plain", "application/cloudevents+json", "application/ndjson",
            "application/jsonl", "application/json; charset=utf-16", "application/json; charset=iso-8859-1",
            "application/json;;;", "APPLICATION/JSON", "application/json, text/html", "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded", "*/*", "application/", "application/json; boundary=\"", "image/png",
            "application/xml", "json")),
        Tuple.of(1, Arbitraries.strings().ascii().ofMaxLength(60).map(s -> s.replaceAll("[\\r\\n\\x00-\\x1f\\x7f]", ""))));
  }

  // ---------------------------------------------------------------- requests on a well-framed connection

  static List<String[]> headers(String id, String contentType, int length, boolean chunked) {
    List<String[]> h = new ArrayList<>();
    h.add(new String[] {"Host", "127.0.0.1"});
    h.add(new String[] {"X-Request-Id", id});
    if (contentType != null) h.add(new String[] {"Content-Type", contentType});
    if (chunked) h.add(new String[] {"Transfer-Encoding", "chunked"});
    else if (length >= 0) h.add(new String[] {"Content-Length", String.valueOf(length)});
    return h;
  }

  /** A body split into chunks of random sizes (well-formed chunked encoding). */
  static byte[] chunk(byte[] body, int chunkSize) {
    ByteArrayOutputStream o = new ByteArrayOutputStream(body.length + 64);
    for (int i = 0; i < body.length; i += chunkSize) {
      int n = Math.min(chunkSize, body.length - i);
      o.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      o.write(body, i, n);
      o.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    o.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    return o.toByteArray();
  }

  /** POST with a well-formed frame (length or chunks); bodies past the 1 MB limit get a connection of their own. */
  static Arbitrary<Req> post(String path, Arbitrary<byte[]> bodies, Arbitrary<String> types, int bodyLimit) {
    return Combinators.combine(bodies, types, Arbitraries.integers().between(0, 9), Arbitraries.integers().between(1, 70_000))
        .as((body, type, mode, chunkSize) -> {
          boolean chunked = mode == 0;
          String id = "h" + Long.toHexString(System.nanoTime());
          byte[] wire = chunked ? chunk(body, chunkSize) : body;
          byte[] bytes = RawHttp.request("POST", path, headers(id, type, body.length, chunked), wire);
          String what = "POST " + (chunked ? "chunked " : "") + "type=" + type + " body=" + preview(body);
          return new Req(what, path, bytes, body.length > bodyLimit / 2);
        });
  }

  static String preview(byte[] body) {
    String s = new String(body, 0, Math.min(body.length, 160), StandardCharsets.ISO_8859_1);
    return s.replaceAll("[^\\x20-\\x7e]", "?") + (body.length > 160 ? "...(" + body.length + " bytes)" : "");
  }

  /** A path segment: plain, odd, or with bad or overlong percent-encoding. */
  static Arbitrary<String> segments() {
    return Arbitraries.oneOf(
        Arbitraries.strings().alpha().numeric().withChars("-_.~").ofMinLength(1).ofMaxLength(30),
        Arbitraries.of("%", "%Z", "%ZZ", "%C3%28", "%FF", "%ED%A0%80", "%00", "%2F", "%2e%2e", "..", ".", "%u0041", "%%",
            "%E2%82", "%F4%90%80%80", "a%20b", "%25", "%3B", "%3F", ";jsessionid=x", "%0d%0aX-Injected:%201"),
        Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(40)
            .map(s -> s.replace("?", "%3F").replace("#", "%23").replace("/", "%2F")),
        Arbitraries.integers().between(200, 1500).map(n -> "x".repeat(n)));
  }

  static Arbitrary<String> paramValues() {
    return Arbitraries.oneOf(
        Arbitraries.integers().map(String::valueOf),
        Arbitraries.of("", "0", "-1", "1001", "1e3", "NaN", "99999999999999999999", "1.5", " 1", "0x10", "%", "%zz", "%C3%28",
            "%00", "abc", "12", "x:y", "1-1", "0-0", "9999999999999999999-0", "1-99999999999999999999", "-", ":", "open",
            "resolved", "OPEN", "2026-01-01T00:00:00Z", "2026-13-45T99:99:99Z", "1700000000000", "9999999999999999999",
            "+999999999-12-31T23:59:59Z", "%2B1"),
        segments());
  }

  static Arbitrary<String> queries() {
    Arbitrary<String> pair = Combinators.combine(
        Arbitraries.of("limit", "cursor", "before", "status", "since", "access_token", "x", "", "limit[]", "%zz", "camera_id"),
        paramValues(), Arbitraries.of("=", "", "=="))
        .as((k, v, eq) -> k + eq + v);
    return pair.list().ofMaxSize(6).map(l -> l.isEmpty() ? "" : "?" + String.join("&", l));
  }

  static Arbitrary<String> readPaths() {
    Arbitrary<String> fixed = Arbitraries.of("/api/v1/cameras", "/api/v1/alerts", "/api/v1/llm/keys", "/api/v1/demo/score",
        "/health", "/health/ready", "/metrics", "/", "/index.html", "/eventbus/info", "/api/v1/cluster", "/api/v1/stats",
        "/api/v1/detections", "/api/v1/detections/ws", "/api", "/api/v1/", "//api//v1//cameras", "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd", "/api/v1/cameras/", "/webroot/../pom.xml", "/js/../../conf.json");
    Arbitrary<String> withId = Combinators.combine(
        Arbitraries.of("/api/v1/cameras/%s", "/api/v1/cameras/%s/history", "/api/v1/replay/%s", "/api/v1/cameras/%s/%s",
            "/%s", "/api/v1/%s"),
        segments(), segments()).as((t, a, b) -> t.replaceFirst("%s", java.util.regex.Matcher.quoteReplacement(a))
            .replaceFirst("%s", java.util.regex.Matcher.quoteReplacement(b)));
    Arbitrary<String> known = Arbitraries.of("/api/v1/cameras/hostile-valid-1", "/api/v1/cameras/hostile-valid-2/history");
    return Combinators.combine(Arbitraries.frequencyOf(Tuple.of(3, fixed), Tuple.of(5, withId), Tuple.of(2, known)), queries())
        .as((p, q) -> p + q);
  }

  /**
   * The target as a well-framed request must carry it: characters HTTP forbids in a request line (space,
   * quotes, braces, controls, non-ASCII) percent-encoded; everything else, including a {@code %} with no
   * hex digits after it, left as generated. (Raw forbidden characters are the malformed cases' job.)
   */
  static String uriSafe(String target) {
    StringBuilder b = new StringBuilder();
    for (byte x : target.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "-._~:/?#[]@!$&'()*+,;=%".indexOf(c) >= 0;
      if (ok) b.append((char) c);
      else b.append('%').append(String.format(Locale.ROOT, "%02X", c));
    }
    return b.toString();
  }

  static Arbitrary<Req> get() {
    Arbitrary<String> methods = Arbitraries.frequencyOf(Tuple.of(20, Arbitraries.just("GET")),
        Tuple.of(2, Arbitraries.of("PUT", "DELETE", "PATCH", "OPTIONS", "POST", "TRACE")));
    Arbitrary<List<String[]>> extra = Arbitraries.of(
        List.<String[]>of(),
        List.<String[]>of(new String[] {"Accept", "text/html"}),
        List.<String[]>of(new String[] {"Authorization", "Bearer " + "x".repeat(500)}),
        List.<String[]>of(new String[] {"Authorization", "Basic !!!"}),
        List.<String[]>of(new String[] {"X-Request-Id", "../../\u00e9 evil"}),
        List.<String[]>of(new String[] {"Accept-Encoding", "gzip, deflate, br, zstd, *;q=0"}),
        List.<String[]>of(new String[] {"Range", "bytes=999999999-"}),
        List.<String[]>of(new String[] {"If-Modified-Since", "not a date"}),
        List.<String[]>of(new String[] {"Cookie", "a=" + "b".repeat(1000)}),
        List.<String[]>of(new String[] {"Content-Length", "0"}),
        List.<String[]>of(new String[] {"Expect", "100-continue"}),
        List.<String[]>of(new String[] {"Connection", "keep-alive, Upgrade"}, new String[] {"Upgrade", "h2c"}),
        List.<String[]>of(new String[] {"Origin", "http://evil.example"}));
    return Combinators.combine(methods, readPaths(), extra, Arbitraries.integers().between(0, 60)).as((m, path, x, many) -> {
      List<String[]> h = headers("h" + Long.toHexString(System.nanoTime()), null, -1, false);
      h.addAll(x);
      for (int i = 0; i < many; i++) h.add(new String[] {"X-Many-" + i, "v" + i});
      boolean hasBodyHeader = x.stream().anyMatch(a -> a[0].equals("Content-Length"));
      // Without a length, PUT/POST/PATCH carry no body on HTTP/1.1; send an explicit zero so framing stays clear.
      if (!m.equals("GET") && !hasBodyHeader) h.add(new String[] {"Content-Length", "0"});
      String target = uriSafe(path);
      return new Req(m + " headers+" + many + " " + x.stream().map(a -> a[0]).toList(), target,
          RawHttp.request(m, target, h, null), false);
    });
  }

  /** Writes that take JSON elsewhere: feedback, replay (admin: loopback), key switches (admin). */
  static Arbitrary<Req> otherWrites() {
    Arbitrary<byte[]> small = Arbitraries.oneOf(
        Arbitraries.of("{\"risk_level\":\"high\"}", "{\"risk_level\":\"none\",\"note\":\"x\"}", "{\"risk_level\":7}",
            "{\"risk_level\":\"high\",\"note\":" + jsonString("n".repeat(2000)) + "}", "[]", "null", "", "{",
            "{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2025-01-01T00:00:00Z\"}", "{\"from\":\"garbage\"}",
            "{\"camera_id\":{},\"from\":1,\"to\":2}", "{\"from\":NaN,\"to\":Infinity}").map(HostileRequests::utf8),
        ingestBodies().filter(b -> b.length < 8000), invalidUtf8());
    Arbitrary<String> path = Combinators.combine(Arbitraries.of("/api/v1/assessments/%s/feedback", "/api/v1/replay",
            "/api/v1/llm/keys/%s/enable", "/api/v1/llm/keys/%s/disable", "/api/v1/llm/keys/%s/%s"), segments(), segments())
        .as((t, a, b) -> t.replaceFirst("%s", java.util.regex.Matcher.quoteReplacement(a))
            .replaceFirst("%s", java.util.regex.Matcher.quoteReplacement(b)));
    return path.map(HostileRequests::uriSafe).flatMap(p -> post(p, small, contentTypes(), 8192));
  }

  static Arbitrary<Req> wellFramed(int bodyLimit) {
    return Arbitraries.frequencyOf(
        Tuple.of(10, post(INGEST, ingestBodies(), contentTypes(), bodyLimit)),
        Tuple.of(10, get()),
        Tuple.of(2, otherWrites()));
  }

  // ---------------------------------------------------------------- malformed HTTP (a connection each)

  static Req raw(String what, String text) {
    return new Req(what, "", text.getBytes(StandardCharsets.ISO_8859_1), true);
  }

  /**
   * Broken framing inside a body already being read (chunk sizes, chunk lines, trailers): the request was
   * accepted and routed, so Vert.x's HTTP codec fails the connection itself. RFC 9112 makes such framing
   * unrecoverable; the gateway closes at once (documented). A hang would still fail the test.
   */
  static Req bodyFraming(String what, String text) {
    return new Req(what, "", text.getBytes(StandardCharsets.ISO_8859_1), true, true);
  }

  static Arbitrary<Req> malformed() {
    String frame = validFrame("hostile-raw", 1);
    int len = frame.length();
    String post = "POST " + INGEST + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
    Arbitrary<Req> lines = Arbitraries.of(
        raw("bad method", "G@T / HTTP/1.1\r\nHost: x\r\n\r\n"),
        raw("lower-case method", "get /health HTTP/1.1\r\nHost: x\r\n\r\n"),
        raw("no version", "GET /health\r\nHost: x\r\n\r\n"),
        raw("HTTP/9.9", "GET /health HTTP/9.9\r\nHost: x\r\n\r\n"),
        raw("HTTP/2.0 text", "GET /health HTTP/2.0\r\nHost: x\r\n\r\n"),
        raw("HTTP/1.0", "GET /health HTTP/1.0\r\n\r\n"),
        raw("no host", "GET /health HTTP/1.1\r\n\r\n"),
        raw("two hosts", "GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
        raw("space in target", "GET /api/v1/cameras/a b HTTP/1.1\r\nHost: x\r\n\r\n"),
        raw("control char in target", "GET /api/v1/cameras/\u0001 HTTP/1.1\r\nHost: x\r\n\r\n"),
        raw("non-ascii target", "GET /api/v1/cameras/\u00e9\u00ff HTTP/1.1\r\nHost: x\r\n\r\n"),
        raw("absolute-form target", "GET http://evil.example/health HTTP/1.1\r\nHost: x\r\n\r\n"),
        raw("asterisk target", "GET * HTTP/1.1\r\nHost: x\r\n\r\n"),
        raw("CONNECT", "CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: x\r\n\r\n"),
        raw("bare LF", "GET /health HTTP/1.1\nHost: x\n\n"),
        raw("header without colon", "GET /health HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n"),
        raw("space before colon", "GET /health HTTP/1.1\r\nHost : x\r\n\r\n"),
        raw("obs-fold", "GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\r\n  folded\r\n\r\n"),
        raw("NUL in header", "GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n"),
        raw("CR in header value", "GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n"),
        raw("CL not a number", post + "Content-Length: abc\r\n\r\n" + frame),
        raw("CL negative", post + "Content-Length: -1\r\n\r\n" + frame),
        raw("CL huge", post + "Content-Length: 99999999999999999999\r\n\r\n" + frame),
        raw("CL twice, differing", post + "Content-Length: " + len + "\r\nContent-Length: " + (len + 5) + "\r\n\r\n" + frame),
        raw("CL list", post + "Content-Length: " + len + ", " + len + "\r\n\r\n" + frame),
        raw("CL short", post + "Content-Length: 10\r\n\r\n" + frame),
        raw("CL with sign", post + "Content-Length: +" + len + "\r\n\r\n" + frame),
        raw("CL and TE", post + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(len) + "\r\n" + frame + "\r\n0\r\n\r\n"),
        raw("TE gzip", post + "Transfer-Encoding: gzip\r\n\r\n" + frame),
        raw("TE unknown, chunked", post + "Transfer-Encoding: x-evil, chunked\r\n\r\n" + Integer.toHexString(len) + "\r\n" + frame + "\r\n0\r\n\r\n"),
        raw("TE chunked twice", post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(len) + "\r\n" + frame + "\r\n0\r\n\r\n"),
        raw("TE with space", post + "Transfer-Encoding : chunked\r\n\r\n" + Integer.toHexString(len) + "\r\n" + frame + "\r\n0\r\n\r\n"),
        bodyFraming("chunk size not hex", post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + frame + "\r\n0\r\n\r\n"),
        bodyFraming("chunk size overflow", post + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n" + frame + "\r\n0\r\n\r\n"),
        bodyFraming("chunk size negative", post + "Transfer-Encoding: chunked\r\n\r\n-5\r\n" + frame + "\r\n0\r\n\r\n"),
        bodyFraming("chunk longer than said", post + "Transfer-Encoding: chunked\r\n\r\n3\r\n" + frame + "\r\n0\r\n\r\n"),
        bodyFraming("chunk extension junk", post + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(len) + ";" + "e=x".repeat(3000) + "\r\n" + frame + "\r\n0\r\n\r\n"),
        bodyFraming("chunk without CRLF", post + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(len) + "\r\n" + frame + "0\r\n\r\n"),
        bodyFraming("trailer abuse", post + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(len) + "\r\n" + frame + "\r\n0\r\nContent-Length: 5\r\nX: " + "t".repeat(9000) + "\r\n\r\n"));
    Arbitrary<Req> big = Arbitraries.oneOf(
        Arbitraries.integers().between(4_000, 70_000).map(n -> raw("long target " + n, "GET /api/v1/cameras/" + "a".repeat(n) + " HTTP/1.1\r\nHost: x\r\n\r\n")),
        Arbitraries.integers().between(8_000, 200_000).map(n -> raw("huge header " + n, "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(n) + "\r\n\r\n")),
        Arbitraries.integers().between(300, 5_000).map(n -> {
          StringBuilder b = new StringBuilder("GET /health HTTP/1.1\r\nHost: x\r\n");
          for (int i = 0; i < n; i++) b.append("X-H").append(i).append(": v\r\n");
          return raw("many headers " + n, b.append("\r\n").toString());
        }),
        Arbitraries.integers().between(1_048_577, 3_000_000).map(n -> raw("oversized body " + n,
            post + "Content-Length: " + n + "\r\n\r\n" + "[" + " ".repeat(n - 1))),
        Arbitraries.integers().between(1_048_577, 3_000_000).map(n -> {
          String body = " ".repeat(n - 2) + "[]";
          return raw("oversized chunked body " + n, post + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(n) + "\r\n" + body + "\r\n0\r\n\r\n");
        }),
        randomBytes(1, 3000).map(b -> {
          // Started by a visible byte (leading empty lines are skipped while a request is awaited) and ended by
          // an empty line, so the server has a whole, if meaningless, request head to answer.
          byte[] all = new byte[b.length + 5];
          all[0] = 'X';
          System.arraycopy(b, 0, all, 1, b.length);
          System.arraycopy("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0, all, b.length + 1, 4);
          return new Req("random bytes " + preview(b), "", all, true);
        }));
    return Arbitraries.frequencyOf(Tuple.of(6, lines), Tuple.of(3, big));
  }
}
