import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop (fixed-rate) HTTP load generator for POST /api/v1/detections. JDK + HdrHistogram only.
 *
 * Why: Debian has wrk but not wrk2, and wrk is closed-loop: when the server stalls, wrk stops sending
 * and the stall is hidden ("coordinated omission"). Here request i has an intended send time
 * start + i/rate fixed in advance, and its latency is measured from that intended time, not from when
 * it actually went out. When the server falls behind, requests wait for a free connection and that
 * wait is part of their latency, exactly as a camera sending at a fixed frame rate would see it.
 *
 * How (kept simple): one thread, one NIO selector, C keep-alive connections, at most one request in
 * flight per connection (no pipelining). Due slots go into a FIFO; an idle connection takes the oldest.
 * Between slots the thread waits in select() (>1 ms away) or parks for at most 100 us, so responses
 * are timestamped at most ~0.1-0.2 ms late: the numbers are an upper bound, never flattering.
 * The generator's own lateness (slot due with an idle connection, but sent late) is reported
 * separately as "generator lag" so a busy load generator can be told apart from a slow server.
 *
 *   java -cp "$CP" bench/OpenLoop.java --url http://127.0.0.1:18080/api/v1/detections \
 *        --rate 10000 --duration 20 --warmup 5 --connections 64
 *   java -cp "$CP" bench/OpenLoop.java --dump-frames 5000 /tmp/frames.ndjson   (ProducerPerformance payloads)
 *
 * Prints a human summary and one "BENCH name=openloop ..." line that bench/run.sh parses.
 */
public class OpenLoop {

    /** Same frame template and size range as bench/frames.lua (2..6 detections, about 410 B). */
    static final class Frames {
        static final String[] LABELS = {"person", "car", "truck", "bicycle", "dog", "backpack", "motorcycle", "bus"};
        static final String[] MODELS = {"yolov8n", "yolov8s", "yolov5s"};
        final String[] variants = new String[64];
        final String[] cams;

        Frames(int cameras) {
            cams = new String[cameras];
            for (int c = 0; c < cameras; c++) cams[c] = String.format("cam-%03d", c);
            Random r = new Random(42);
            for (int v = 1; v <= 64; v++) {
                int n = 2 + (v % 5);
                StringBuilder sb = new StringBuilder("[");
                for (int d = 0; d < n; d++) {
                    int x1 = r.nextInt(1201), y1 = r.nextInt(601), w = 20 + r.nextInt(381), h = 20 + r.nextInt(381);
                    if (d > 0) sb.append(',');
                    sb.append("{\"label\":\"").append(LABELS[r.nextInt(LABELS.length)])
                      .append("\",\"confidence\":").append(String.format("%.2f", 0.30 + r.nextDouble() * 0.69))
                      .append(",\"bbox\":[").append(x1).append(',').append(y1).append(',')
                      .append(x1 + w).append(',').append(y1 + h).append("],\"track_id\":")
                      .append(1 + r.nextInt(500)).append('}');
                }
                variants[v - 1] = sb.append(']').toString();
            }
        }

        StringBuilder frame(StringBuilder sb, long cam, long frameId, long ts) {
            return sb.append("{\"camera_id\":\"").append(cams[(int) (cam % cams.length)])
                .append("\",\"frame_id\":").append(frameId)
                .append(",\"timestamp\":").append(ts)
                .append(",\"model_type\":\"").append(MODELS[(int) (frameId % MODELS.length)])
                .append("\",\"detections\":").append(variants[(int) (frameId % variants.length)]).append('}');
        }
    }

    /** One keep-alive connection with at most one request in flight. */
    static final class Conn {
        SocketChannel ch;
        SelectionKey key;
        ByteBuffer out;                 // request being written
        final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        long slot = -1, intended, sent; // the request in flight
        boolean busy;
    }

    // options
    static String url = "http://127.0.0.1:8080/api/v1/detections";
    static int rate = 10_000, connections = 64, cameras = 50, timeoutMs = 10_000;
    static double durationS = 20, warmupS = 5;

    // state (single thread)
    static Selector selector;
    static InetSocketAddress addr;
    static String host, path;
    static Frames frames;
    static long start, warmupSlots;
    static final Histogram lat = new Histogram(TimeUnit.SECONDS.toNanos(300), 3);
    static final Histogram svc = new Histogram(TimeUnit.SECONDS.toNanos(300), 3);
    static final Histogram genLag = new Histogram(TimeUnit.SECONDS.toNanos(300), 3);
    static final Map<Integer, long[]> codes = new TreeMap<>();
    static long ioErrors, timeouts, reconnects, lastDone;
    static long windowStart, windowDone;  // completions (of any slot) after the warm-up ended
    static final ArrayDeque<Conn> idle = new ArrayDeque<>();
    static final StringBuilder sb = new StringBuilder(2048);

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--duration" -> durationS = Double.parseDouble(args[++i]);
                case "--warmup" -> warmupS = Double.parseDouble(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--cameras" -> cameras = Integer.parseInt(args[++i]);
                case "--timeout-ms" -> timeoutMs = Integer.parseInt(args[++i]);
                case "--dump-frames" -> { dumpFrames(Integer.parseInt(args[i + 1]), Path.of(args[i + 2])); return; }
                default -> { System.err.println("unknown option " + args[i]); System.exit(2); }
            }
        }
        URI u = URI.create(url);
        host = u.getHost();
        int port = u.getPort() > 0 ? u.getPort() : 80;
        path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        addr = new InetSocketAddress(host, port);
        frames = new Frames(cameras);
        selector = Selector.open();
        for (int c = 0; c < connections; c++) {
            Conn conn = new Conn();
            connect(conn);
            idle.add(conn);
        }

        warmupSlots = (long) (warmupS * rate);
        long totalSlots = warmupSlots + (long) (durationS * rate);
        System.out.printf("open-loop: %d req/s to %s for %.0f s (+%.0f s warm-up, not recorded), %d connections%n",
            rate, url, durationS, warmupS, connections);
        start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        windowStart = intended(warmupSlots);
        long hardDeadline = start + TimeUnit.MILLISECONDS.toNanos((long) ((warmupS + durationS) * 1000) + 2L * timeoutMs);
        ArrayDeque<long[]> due = new ArrayDeque<>();   // {slot, intended} waiting for a free connection
        long next = 0, inFlight = 0, lastTimeoutScan = 0;

        while (true) {
            long now = System.nanoTime();
            while (next < totalSlots && intended(next) <= now) { due.add(new long[]{next, intended(next)}); next++; }
            while (!due.isEmpty() && !idle.isEmpty()) {
                long[] s = due.poll();
                Conn c = idle.poll();
                if (send(c, s[0], s[1], now)) inFlight++;
                now = System.nanoTime();
            }
            if (next >= totalSlots && due.isEmpty() && inFlight == 0) break;
            if (now > hardDeadline) break;

            // wait: for readiness, or until the next slot is due
            long gap = next < totalSlots && (due.isEmpty() || !idle.isEmpty()) ? intended(next) - now : Long.MAX_VALUE;
            int ready;
            if (gap > 1_200_000L) ready = selector.select(Math.min(100, Math.max(1, gap / 1_000_000L - 1)));
            else {
                ready = selector.selectNow();
                if (ready == 0 && gap > 0) { LockSupport.parkNanos(Math.min(gap, 100_000L)); ready = selector.selectNow(); }
            }
            if (ready > 0) {
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    Conn c = (Conn) k.attachment();
                    try {
                        if (k.isValid() && k.isWritable()) {
                            c.ch.write(c.out);
                            if (!c.out.hasRemaining()) k.interestOps(SelectionKey.OP_READ);
                        }
                        if (k.isValid() && k.isReadable()) {
                            if (readResponse(c)) inFlight--;
                        }
                    } catch (IOException e) {
                        ioErrors++;
                        if (c.busy) inFlight--;
                        reconnect(c);
                    }
                }
            }
            if (now - lastTimeoutScan > 100_000_000L) { // every 100 ms: requests stuck past the timeout
                lastTimeoutScan = now;
                for (SelectionKey k : selector.keys().toArray(new SelectionKey[0])) {
                    Conn c = (Conn) k.attachment();
                    if (c.busy && now - c.sent > TimeUnit.MILLISECONDS.toNanos(timeoutMs)) {
                        timeouts++;
                        inFlight--;
                        reconnect(c);
                    }
                }
            }
        }

        long unsent = (totalSlots - next) + due.size();
        long n = lat.getTotalCount();
        // Throughput over the recorded window: every response completed after the warm-up ended, over the
        // time from then to the last response (when overloaded, warm-up backlog is served in this window).
        double window = (lastDone - windowStart) / 1e9;
        double achieved = window > 0 ? windowDone / window : 0;
        long non2xx = 0;
        StringBuilder codeStr = new StringBuilder();
        for (Map.Entry<Integer, long[]> e : codes.entrySet()) {
            if (e.getKey() < 200 || e.getKey() > 299) non2xx += e.getValue()[0];
            if (codeStr.length() > 0) codeStr.append(',');
            codeStr.append(e.getKey()).append(':').append(e.getValue()[0]);
        }
        String cs = codeStr.length() == 0 ? "-" : codeStr.toString();
        System.out.printf("recorded %d responses; %d responses in the %.2f s after warm-up: %.0f req/s (target %d)%n",
            n, windowDone, window, achieved, rate);
        System.out.println("latency from INTENDED send time (coordinated-omission corrected), ms:");
        printPercentiles(lat);
        System.out.println("service time from ACTUAL send time (what a closed-loop tool reports), ms:");
        printPercentiles(svc);
        System.out.printf("generator lag (slot due, connection free, not yet sent): p99 %.3f ms, max %.3f ms%n",
            ms(genLag.getValueAtPercentile(99)), ms(genLag.getMaxValue()));
        System.out.printf("status codes %s, io errors %d, timeouts %d, reconnects %d, unsent slots %d%n",
            cs, ioErrors, timeouts, reconnects, unsent);
        System.out.printf("BENCH name=openloop target_rate=%d req_per_s=%.1f requests=%d duration_s=%.3f "
                + "lat_p50_ms=%.3f lat_p90_ms=%.3f lat_p99_ms=%.3f lat_p999_ms=%.3f lat_max_ms=%.3f "
                + "svc_p50_ms=%.3f svc_p99_ms=%.3f svc_p999_ms=%.3f genlag_p99_ms=%.3f "
                + "non2xx=%d io_errors=%d timeouts=%d unsent=%d codes=%s%n",
            rate, achieved, n, window,
            ms(lat.getValueAtPercentile(50)), ms(lat.getValueAtPercentile(90)), ms(lat.getValueAtPercentile(99)),
            ms(lat.getValueAtPercentile(99.9)), ms(lat.getMaxValue()),
            ms(svc.getValueAtPercentile(50)), ms(svc.getValueAtPercentile(99)), ms(svc.getValueAtPercentile(99.9)),
            ms(genLag.getValueAtPercentile(99)), non2xx, ioErrors, timeouts, unsent, cs);
    }

    static long intended(long slot) { return start + slot * 1_000_000_000L / rate; }

    static double ms(long nanos) { return nanos / 1e6; }

    static void printPercentiles(Histogram h) {
        System.out.printf("  p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%n",
            ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
            ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
    }

    static void record(Histogram h, long v) { h.recordValue(Math.max(0, Math.min(v, h.getHighestTrackableValue()))); }

    static void dumpFrames(int count, Path out) throws IOException {
        Frames f = new Frames(cameras);
        long ts = System.currentTimeMillis();
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < count; i++) { b.setLength(0); w.print(f.frame(b, i, 1_000_000L + i, ts + i).append('\n')); }
        }
    }

    static void connect(Conn c) throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.connect(addr);           // blocking connect, then non-blocking I/O
        ch.configureBlocking(false);
        c.ch = ch;
        c.key = ch.register(selector, SelectionKey.OP_READ, c);
        c.in.clear();
        c.busy = false;
    }

    /** Drops the connection (its request in flight, if any, was already counted as failed) and opens a new one. */
    static void reconnect(Conn c) {
        try { c.key.cancel(); c.ch.close(); } catch (IOException ignored) { }
        boolean wasIdle = idle.remove(c);
        c.busy = false;
        try {
            connect(c);
            reconnects++;
            idle.add(c);
        } catch (IOException e) {
            ioErrors++;  // server gone: leave this connection out; the run drains and reports unsent slots
            if (wasIdle && idle.isEmpty()) System.err.println("openloop: cannot reconnect: " + e);
        }
    }

    /** Value of a response header (case-insensitive name), or null. */
    static String header(String head, String name) {
        int from = head.indexOf("\r\n");
        while (from >= 0 && from + 2 < head.length()) {
            int eol = head.indexOf("\r\n", from + 2);
            if (eol < 0) break;
            int colon = head.indexOf(':', from + 2);
            if (colon > 0 && colon < eol && colon - (from + 2) == name.length()
                && head.regionMatches(true, from + 2, name, 0, name.length())) {
                return head.substring(colon + 1, eol).trim();
            }
            from = eol;
        }
        return null;
    }

    static boolean send(Conn c, long slot, long intendedAt, long now) {
        sb.setLength(0);
        int bodyStart = sb.append("POST ").append(path).append(" HTTP/1.1\r\nHost: ").append(host)
            .append("\r\nContent-Type: application/json\r\nContent-Length: ").length();
        frames.frame(sb, slot, 2_000_000_000L + slot, System.currentTimeMillis());
        String body = sb.substring(bodyStart);
        sb.setLength(bodyStart);
        sb.append(body.length()).append("\r\n\r\n").append(body); // frames are ASCII: chars == bytes
        byte[] bytes = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        c.slot = slot;
        c.intended = intendedAt;
        c.busy = true;
        c.out = ByteBuffer.wrap(bytes);
        try {
            c.sent = System.nanoTime();
            c.ch.write(c.out);
            if (c.out.hasRemaining()) c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        } catch (IOException e) {
            ioErrors++;
            reconnect(c);
            return false;
        }
        if (slot >= warmupSlots) {
            // the generator's own lateness: from when the slot was due AND this connection was free
            long freeSince = Math.max(intendedAt, now);
            record(genLag, c.sent - freeSince);
        }
        return true;
    }

    /** Reads what is available; returns true when a full response was consumed (the connection is idle again). */
    static boolean readResponse(Conn c) throws IOException {
        int r = c.ch.read(c.in);
        if (r < 0) throw new IOException("connection closed by server");
        byte[] a = c.in.array();
        int len = c.in.position();
        int headEnd = -1;
        for (int i = 3; i < len; i++) {
            if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') { headEnd = i + 1; break; }
        }
        if (headEnd < 0) {
            if (len == a.length) throw new IOException("response head too large");
            return false;
        }
        String head = new String(a, 0, headEnd, StandardCharsets.ISO_8859_1);
        if (!head.startsWith("HTTP/1.")) throw new IOException("bad response: " + head.lines().findFirst().orElse(""));
        int status = Integer.parseInt(head.substring(9, 12));
        int total;
        String cl = header(head, "content-length");
        if (cl != null) {
            total = headEnd + Integer.parseInt(cl);
            if (total > a.length) throw new IOException("response body too large");
            if (len < total) return false;
        } else if ("chunked".equalsIgnoreCase(header(head, "transfer-encoding"))) {
            String rest = new String(a, headEnd, len - headEnd, StandardCharsets.ISO_8859_1);
            int end = rest.indexOf("0\r\n\r\n");
            if (end < 0 || (end > 0 && rest.charAt(end - 1) != '\n')) {
                if (len == a.length) throw new IOException("chunked response too large");
                return false;
            }
            total = headEnd + end + 5;
        } else {
            total = headEnd; // no body (e.g. 204)
        }
        long done = System.nanoTime();
        if (len > total) throw new IOException("unexpected bytes after response");
        c.in.clear();
        c.busy = false;
        codes.computeIfAbsent(status, k -> new long[1])[0]++;
        if (done >= windowStart) windowDone++;
        if (c.slot >= warmupSlots) {
            record(lat, done - c.intended);
            record(svc, done - c.sent);
        }
        lastDone = Math.max(lastDone, done);
        if ("close".equalsIgnoreCase(header(head, "connection"))) reconnect(c); // puts a fresh connection back in idle
        else idle.add(c);
        return true;
    }
}
