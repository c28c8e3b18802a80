// How much lz4 (lz4-java) and snappy (snappy-java), as Kafka uses them, shrink generated detection frames
// per producer batch size:
//   java -cp target/argus-gateway.jar bench/CompressionRatio.java
// The figure behind the compression.type default (README, Benchmarks).
import net.jpountz.lz4.*;
import org.xerial.snappy.Snappy;
import java.util.*;
public class CompressionRatio {
  public static void main(String[] a) throws Exception {
    Random r = new Random(7);
    String[] labels = {"person","car","truck","bicycle","dog","backpack","motorcycle","bus"};
    String[] models = {"yolov8n","yolov8s","yolov5s"};
    LZ4Compressor c = LZ4Factory.fastestInstance().fastCompressor();
    for (int per : new int[] {1, 2, 6, 25, 100}) {
      long raw = 0, comp = 0, snappy = 0;
      for (int b = 0; b < 2000; b++) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < per; i++) {
          int cam = r.nextInt(50);
          sb.append("{\"camera_id\":\"cam-").append(String.format("%03d", cam)).append("\",\"frame_id\":").append(r.nextInt(1_000_000))
            .append(",\"timestamp\":").append(1764540000000L + r.nextInt(1_000_000)).append(",\"model_type\":\"").append(models[r.nextInt(3)])
            .append("\",\"detections\":[");
          int n = 2 + r.nextInt(5);
          for (int d = 0; d < n; d++) {
            int x = r.nextInt(1200), y = r.nextInt(600);
            if (d > 0) sb.append(',');
            sb.append(String.format(Locale.ROOT, "{\"label\":\"%s\",\"confidence\":%.2f,\"bbox\":[%d,%d,%d,%d],\"track_id\":%d}",
                labels[r.nextInt(8)], 0.3 + r.nextDouble() * 0.69, x, y, x + 20 + r.nextInt(380), y + 20 + r.nextInt(380), 1 + r.nextInt(500)));
          }
          sb.append("]}");
        }
        byte[] in = sb.toString().getBytes();
        raw += in.length; comp += c.compress(in).length; snappy += Snappy.compress(in).length;
      }
      System.out.printf("records per batch %3d: lz4 %.2fx, snappy %.2fx (raw %d B/record)%n", per, (double) raw / comp,
          (double) raw / snappy, raw / (2000L * per));
    }
  }
}
