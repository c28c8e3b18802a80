package dev.argus.config;

import java.util.List;
import java.util.Set;

/**
 * A polygon in frame coordinates that some labels must not enter (no labels: none may). A detection
 * whose bbox centre falls inside is a hit.
 */
public record Zone(String name, List<double[]> polygon, Set<String> labels) {

  public boolean applies(String label) {
    return labels.isEmpty() || labels.contains(label);
  }

  /** Ray casting: whether (x, y) lies inside the polygon (points on an edge may go either way). */
  public boolean contains(double x, double y) {
    boolean inside = false;
    for (int i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
      double[] a = polygon.get(i);
      double[] b = polygon.get(j);
      if ((a[1] > y) != (b[1] > y) && x < (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0]) inside = !inside;
    }
    return inside;
  }
}
