import dev.argus.ingest.FrameBody;
import dev.argus.model.FrameReader;
import io.vertx.core.buffer.Buffer;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The CPU one frame costs to read, issue 14 points 1 and 2, in whatever gateway jar is on the class path:
 * ingest's validation of a 100-frame JSON body ({@code FrameBody.json}, what a batch POST does) and the
 * bridge's decode of one record ({@code FrameReader.decode}). The frames are the ingest benchmark's (the
 * template of bench/frames.lua and OpenLoop.java: 2–6 objects, about 410 bytes). One thread; CPU time of that
 * thread (not wall time, so other work on the machine moves it little) and bytes allocated, per frame, three
 * rounds after a warm-up. Run by bench/parse/run.sh, which alternates jars.
 */
public class ParseBench {
  static final int BODIES = 64, FRAMES_PER_BODY = 100, ROUND_FRAMES = 1_000_000;

  public static void main(String[] args) throws Exception {
    List<Buffer> bodies = new ArrayList<>();
    List<Buffer> records = new ArrayList<>();
    Random r = new Random(42);
    long frameId = 0;
    for (int b = 0; b < BODIES; b++) {
      StringBuilder sb = new StringBuilder("[");
      for (int f = 0; f < FRAMES_PER_BODY; f++, frameId++) {
        if (f > 0) sb.append(',');
        String frame = frame(r, frameId);
        sb.append(frame);
        if (records.size() < 2_000) records.add(Buffer.buffer(frame));
      }
      bodies.add(Buffer.buffer(sb.append(']').toString()));
    }
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sink = 0;
    for (int warm = 0; warm < 3; warm++) sink += ingest(bodies, ROUND_FRAMES / 4) + bridge(records, ROUND_FRAMES / 4);
    double[][] ingest = new double[3][], bridge = new double[3][];
    for (int round = 0; round < 3; round++) {
      ingest[round] = measure(mx, () -> ingest(bodies, ROUND_FRAMES));
      bridge[round] = measure(mx, () -> bridge(records, ROUND_FRAMES));
      System.out.printf("round %d: ingest %.0f ns/frame %.0f B/frame | bridge %.0f ns/record %.0f B/record%n",
          round + 1, ingest[round][0], ingest[round][1], bridge[round][0], bridge[round][1]);
    }
    System.out.printf("PARSE ingest_ns=%.0f ingest_bytes=%.0f bridge_ns=%.0f bridge_bytes=%.0f%n",
        median(ingest, 0), median(ingest, 1), median(bridge, 0), median(bridge, 1));
    if (sink == 42) System.out.println();
  }

  interface Run { long run() throws Exception; }

  static double[] measure(com.sun.management.ThreadMXBean mx, Run run) throws Exception {
    long id = Thread.currentThread().getId();
    long a0 = mx.getThreadAllocatedBytes(id), t0 = mx.getCurrentThreadCpuTime();
    run.run();
    long t1 = mx.getCurrentThreadCpuTime(), a1 = mx.getThreadAllocatedBytes(id);
    return new double[] {(t1 - t0) / (double) ROUND_FRAMES, (a1 - a0) / (double) ROUND_FRAMES};
  }

  static double median(double[][] rounds, int col) {
    double[] v = Arrays.stream(rounds).mapToDouble(x -> x[col]).sorted().toArray();
    return v[1];
  }

  static long ingest(List<Buffer> bodies, int frames) throws Exception {
    long n = 0;
    for (int i = 0; i < frames / FRAMES_PER_BODY; i++) {
      FrameBody.Scan s = FrameBody.json(bodies.get(i % bodies.size()));
      if (!s.ok()) throw new IllegalStateException(s.errors().toString());
      n += s.valid().size();
    }
    return n;
  }

  static long bridge(List<Buffer> records, int frames) {
    long n = 0;
    for (int i = 0; i < frames; i++) n += FrameReader.decode(records.get(i % records.size())).result().detection().objects().size();
    return n;
  }

  /** One frame as bench/frames.lua writes it. */
  static String frame(Random r, long frameId) {
    String[] labels = {"person", "car", "truck", "bicycle", "dog", "backpack", "motorcycle", "bus"};
    String[] models = {"yolov8n", "yolov8s", "yolov5s"};
    StringBuilder sb = new StringBuilder("{\"camera_id\":\"").append(String.format("cam-%03d", frameId % 50))
        .append("\",\"frame_id\":").append(frameId).append(",\"timestamp\":").append(1_764_000_000_000L + frameId * 40)
        .append(",\"model_type\":\"").append(models[(int) (frameId % models.length)]).append("\",\"detections\":[");
    int n = 2 + (int) (frameId % 5);
    for (int d = 0; d < n; d++) {
      int x1 = r.nextInt(1201), y1 = r.nextInt(601), w = 20 + r.nextInt(381), h = 20 + r.nextInt(381);
      if (d > 0) sb.append(',');
      sb.append("{\"label\":\"").append(labels[r.nextInt(labels.length)]).append("\",\"confidence\":")
          .append(String.format("%.2f", 0.30 + r.nextDouble() * 0.69)).append(",\"bbox\":[").append(x1).append(',')
          .append(y1).append(',').append(x1 + w).append(',').append(y1 + h).append("],\"track_id\":")
          .append(1 + r.nextInt(500)).append('}');
    }
    return sb.append("]}").toString();
  }
}
