import dev.argus.model.FrameParser;
import dev.argus.model.FrameReader;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The detection bridge's decode of one frame record, issue 14 point 2: the tree path it used before
 * (a JsonObject, then FrameParser walking it, then the image size read from the tree) against the one-pass
 * streaming FrameReader.decode it uses now, on the same generated records, in the same JVM, interleaved,
 * three rounds each. Prints ns/record and bytes allocated/record per round and the medians.
 * Run: bench/bridge/run.sh
 */
public class DecodeBench {
  static final int RECORDS = 2_000, OPS = 400_000;

  public static void main(String[] args) {
    List<Buffer> records = frames(new Random(14));
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sink = 0;
    for (int warm = 0; warm < 3; warm++) sink += tree(records, OPS / 2) + stream(records, OPS / 2);
    double[][] tree = new double[3][], stream = new double[3][];
    for (int round = 0; round < 3; round++) {
      tree[round] = measure(mx, () -> tree(records, OPS));
      stream[round] = measure(mx, () -> stream(records, OPS));
      System.out.printf("round %d: tree %.0f ns/record %.0f B/record | one-pass %.0f ns/record %.0f B/record%n",
          round + 1, tree[round][0], tree[round][1], stream[round][0], stream[round][1]);
    }
    double treeNs = median(tree, 0), streamNs = median(stream, 0);
    System.out.printf("median: tree %.0f ns/record, %.0f B/record; one-pass %.0f ns/record, %.0f B/record; one-pass/tree time %.2f, allocation %.2f%n",
        treeNs, median(tree, 1), streamNs, median(stream, 1), streamNs / treeNs, median(stream, 1) / median(tree, 1));
    if (sink == 42) System.out.println();
  }

  interface Run { long run(); }

  static double[] measure(com.sun.management.ThreadMXBean mx, Run r) {
    long id = Thread.currentThread().getId();
    long a0 = mx.getThreadAllocatedBytes(id), t0 = System.nanoTime();
    r.run();
    long t1 = System.nanoTime(), a1 = mx.getThreadAllocatedBytes(id);
    return new double[] {(t1 - t0) / (double) OPS, (a1 - a0) / (double) OPS};
  }

  static double median(double[][] rounds, int col) {
    double[] v = Arrays.stream(rounds).mapToDouble(x -> x[col]).sorted().toArray();
    return v[1];
  }

  /** What the bridge did before: tree, walk, size from the tree. */
  static long tree(List<Buffer> records, int ops) {
    long n = 0;
    for (int i = 0; i < ops; i++) {
      JsonObject json = new JsonObject(records.get(i % records.size()));
      FrameParser.Result r = FrameParser.parse(json, 0);
      n += r.detection().objects().size() + json.getDouble("image_width", 640.0).longValue();
    }
    return n;
  }

  static long stream(List<Buffer> records, int ops) {
    long n = 0;
    for (int i = 0; i < ops; i++) {
      FrameReader.Decoded d = FrameReader.decode(records.get(i % records.size()));
      n += d.result().detection().objects().size() + (long) (Double.isNaN(d.imageWidth()) ? 640.0 : d.imageWidth());
    }
    return n;
  }

  /** Frames like the demo's: 0–12 objects with track ids, ISO timestamps, image size. */
  static List<Buffer> frames(Random rnd) {
    String[] labels = {"person", "car", "truck", "bicycle", "dog", "backpack", "knife", "fire"};
    List<Buffer> out = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      StringBuilder sb = new StringBuilder("{\"camera_id\":\"cam-").append(i % 50).append("\",\"frame_id\":").append(i)
          .append(",\"timestamp\":\"2026-11-30T15:00:0").append(i % 10).append(".123Z\",\"model_type\":\"yolov8n\",")
          .append("\"image_width\":1280,\"image_height\":720,\"detections\":[");
      int n = rnd.nextInt(13);
      for (int k = 0; k < n; k++) {
        double x = rnd.nextDouble() * 1000, y = rnd.nextDouble() * 600;
        if (k > 0) sb.append(',');
        sb.append("{\"label\":\"").append(labels[rnd.nextInt(labels.length)]).append("\",\"confidence\":")
            .append(String.format("%.3f", 0.3 + rnd.nextDouble() * 0.7)).append(",\"bbox\":[")
            .append(String.format("%.1f,%.1f,%.1f,%.1f", x, y, x + 40 + rnd.nextDouble() * 100, y + 80 + rnd.nextDouble() * 100))
            .append("],\"track_id\":").append(rnd.nextInt(500)).append('}');
      }
      out.add(Buffer.buffer(sb.append("]}").toString()));
    }
    return out;
  }
}
