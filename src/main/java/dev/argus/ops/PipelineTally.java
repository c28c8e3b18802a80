package dev.argus.ops;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a {@code pipeline-test} run saw, by task id ({@code camera:frame}): frames posted, accepted
 * (202), assessed (seen on {@code argus.assessments}) with their source and the time from posting to
 * the assessment arriving. Decides the outcome: every expected frame assessed, or exit status 1.
 * Not thread-safe: one Vert.x context feeds it.
 */
public final class PipelineTally {
  private final int expected;
  private final Map<String, Long> postedAtNanos = new LinkedHashMap<>();
  private final Map<String, Long> latencyNanos = new LinkedHashMap<>();
  private final Map<String, Integer> sources = new TreeMap<>();
  private final List<String> problems = new ArrayList<>();
  private int accepted;

  public PipelineTally(int expected) {
    this.expected = expected;
  }

  public void posted(String taskId, long nanos) {
    postedAtNanos.put(taskId, nanos);
  }

  public void accepted(String taskId) {
    if (postedAtNanos.containsKey(taskId)) accepted++;
  }

  /** A frame the gateway refused, or a camera given up on: kept for the report. */
  public void problem(String message) {
    problems.add(message);
  }

  /** Records an assessment; true when it is the first for one of our frames. */
  public boolean assessed(String taskId, String source, long nanos) {
    Long posted = postedAtNanos.get(taskId);
    if (posted == null || latencyNanos.containsKey(taskId)) return false;
    latencyNanos.put(taskId, nanos - posted);
    sources.merge(source == null ? "unknown" : source, 1, Integer::sum);
    return true;
  }

  public boolean complete() {
    return latencyNanos.size() == expected;
  }

  public int exitCode() {
    return complete() ? 0 : 1;
  }

  /** The latency at {@code quantile} (nearest rank) in milliseconds; -1 with no assessment. */
  public long percentileMs(double quantile) {
    if (latencyNanos.isEmpty()) return -1;
    List<Long> sorted = new ArrayList<>(latencyNanos.values());
    Collections.sort(sorted);
    int rank = (int) Math.ceil(quantile * sorted.size());
    return Math.round(sorted.get(Math.max(0, rank - 1)) / 1e6);
  }

  public String report() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("accepted   %d/%d%n", accepted, expected));
    sb.append(String.format("assessed   %d/%d%n", latencyNanos.size(), expected));
    StringBuilder src = new StringBuilder();
    sources.forEach((s, n) -> src.append(src.isEmpty() ? "" : " ").append(s).append('=').append(n));
    sb.append(String.format("source     %s%n", src.isEmpty() ? "-" : src));
    if (latencyNanos.isEmpty()) {
      sb.append(String.format("latency    -%n"));
    } else {
      sb.append(String.format("latency    p50=%d ms p95=%d ms (frame posted -> assessment on /eventbus)%n",
          percentileMs(0.50), percentileMs(0.95)));
    }
    List<String> missing = postedAtNanos.keySet().stream().filter(id -> !latencyNanos.containsKey(id)).toList();
    int neverPosted = expected - postedAtNanos.size();
    if (!missing.isEmpty() || neverPosted > 0) {
      sb.append(String.format("missing    %d (%s%s)%n", missing.size() + neverPosted,
          String.join(", ", missing.subList(0, Math.min(10, missing.size()))),
          (missing.size() > 10 ? ", ..." : "") + (neverPosted > 0 ? (missing.isEmpty() ? "" : "; ") + neverPosted + " never posted" : "")));
    }
    problems.stream().limit(10).forEach(p -> sb.append("problem    ").append(p).append(System.lineSeparator()));
    sb.append(complete() ? "OK" : "FAILED").append(System.lineSeparator());
    return sb.toString();
  }
}
