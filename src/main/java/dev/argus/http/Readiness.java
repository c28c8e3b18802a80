package dev.argus.http;

import io.vertx.core.json.JsonObject;

/**
 * The readiness verdict from the checks of the backbone, the store and the LLM pool. Without the
 * backbone nothing can be accepted: not ready. Without the store or the LLM pool the gateway still
 * takes and assesses frames (results live, rules): ready, but degraded. Draining wins over all.
 */
final class Readiness {
  public enum Status { UP, DEGRADED, DOWN, DRAINING }

  /**
   * The status of a check whose component this node does not run ({@code node.roles}): an ingest-only node
   * has no LLM dispatcher of its own, and that is its design, not a fault.
   */
  public static final String NOT_ON_THIS_NODE = "NOT_ON_THIS_NODE";

  /** The status, and the checks as they were reported. */
  public record Verdict(Status status, JsonObject checks) {
    /** 200 while frames are taken (UP, DEGRADED), else 503 so a load balancer routes elsewhere. */
    public int httpStatus() {
      return status == Status.UP || status == Status.DEGRADED ? 200 : 503;
    }

    public JsonObject toJson() {
      return new JsonObject().put("status", status.name()).put("checks", checks);
    }
  }

  private Readiness() {}

  /**
   * Each check is {@code {"status": "UP"|"DOWN", ...}}; a check without a status counts as down; an LLM check
   * {@value #NOT_ON_THIS_NODE} does not count.
   */
  public static Verdict judge(JsonObject backbone, JsonObject store, JsonObject llm, boolean draining) {
    JsonObject checks = new JsonObject().put("backbone", backbone).put("store", store).put("llm", llm);
    Status status;
    if (draining) status = Status.DRAINING;
    else if (!up(backbone)) status = Status.DOWN;
    else if (up(store) && (up(llm) || NOT_ON_THIS_NODE.equals(llm.getString("status")))) status = Status.UP;
    else status = Status.DEGRADED;
    return new Verdict(status, checks);
  }

  /**
   * With the cluster check: a node that is not (or no longer) a member still takes frames through Kafka,
   * but its browsers miss the other nodes' events and its key pool is on its own: degraded, not down.
   */
  public static Verdict judge(JsonObject backbone, JsonObject store, JsonObject llm, JsonObject cluster, boolean draining) {
    Verdict v = judge(backbone, store, llm, draining);
    JsonObject checks = v.checks().put("cluster", cluster);
    Status status = v.status() == Status.UP && !up(cluster) ? Status.DEGRADED : v.status();
    return new Verdict(status, checks);
  }

  private static boolean up(JsonObject check) {
    return "UP".equals(check.getString("status"));
  }
}
