package dev.argus.replay;

import dev.argus.model.Times;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One replay's progress: frames read from the range, tasks made by the gate, results assessed. It is
 * {@code running} until the range was read and every task came back (or none came back for
 * {@code quietMs} after reading ended: a task may expire in the LLM queue); {@code failed} when reading
 * failed. Used from the replay verticle's context only.
 */
public final class ReplayRun {
  public static final String RUNNING = "running";
  public static final String DONE = "done";
  public static final String FAILED = "failed";

  private final String id;
  private final ReplayRequest request;
  private final long startedMs;
  private String status = RUNNING;
  private boolean readDone;
  private long frames;
  private long tasks;
  private long assessed;
  private long lastProgressMs;
  private long finishedMs = -1;
  private String error;
  private final Map<String, Long> levels = new TreeMap<>();

  public ReplayRun(String id, ReplayRequest request, long nowMs) {
    this.id = id;
    this.request = request;
    this.startedMs = nowMs;
    this.lastProgressMs = nowMs;
  }

  public String id() {
    return id;
  }

  public ReplayRequest request() {
    return request;
  }

  public String status() {
    return status;
  }

  public void framesRead(int n, int tasksMade, long nowMs) {
    frames += n;
    tasks += tasksMade;
    lastProgressMs = nowMs;
  }

  public void readingDone(long nowMs) {
    readDone = true;
    lastProgressMs = nowMs;
    check(nowMs, Long.MAX_VALUE);
  }

  public void failed(String why, long nowMs) {
    status = FAILED;
    error = why;
    finishedMs = nowMs;
  }

  public void assessed(String level, long nowMs) {
    assessed++;
    levels.merge(level, 1L, Long::sum);
    lastProgressMs = nowMs;
    check(nowMs, Long.MAX_VALUE);
  }

  /** Finishes the run when everything came back, or nothing did for {@code quietMs} after reading ended. */
  public void check(long nowMs, long quietMs) {
    if (!status.equals(RUNNING) || !readDone) return;
    if (assessed >= tasks || nowMs - lastProgressMs >= quietMs) {
      status = DONE;
      finishedMs = nowMs;
    }
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("replay_id", id).put("status", status).put("request", request.toJson())
        .put("frames", frames).put("tasks", tasks).put("assessed", assessed)
        .put("levels", new JsonObject(new LinkedHashMap<>(levels)))
        .put("started_at", Times.iso(startedMs));
    if (finishedMs >= 0) o.put("finished_at", Times.iso(finishedMs));
    if (error != null) o.put("error", error);
    return o;
  }
}
