package dev.argus.model;

/** Every event-bus address Argus uses, in one place. Public ones are part of the external contract. */
public final class BusAddresses {
  private BusAddresses() {}

  /** Live frames, as accepted by ingest (browsers get them throttled per camera). */
  public static final String DETECTIONS = "argus.detections";
  /** Every assessment the aggregator stored. */
  public static final String ASSESSMENTS = "argus.assessments";
  /** Alerts after storm control. */
  public static final String ALERTS = "argus.alerts";
  /** A pipeline snapshot, once a second. */
  public static final String STATS = "argus.stats";
  /** The LLM key pool's state, once a second. */
  public static final String LLM_KEYS = "argus.llm.keys";
  /**
   * Operator agreement per model, each {@code dashboard.modelMetricsIntervalMs} that brought a verdict
   * (node-local: each node's page shows its own node's meters, like its read route). The page's
   * "Agreement by model" table.
   */
  public static final String MODEL_METRICS = "argus.model.metrics";

  /** The addresses a browser may receive from; nothing may be sent inbound. */
  public static final String[] BROWSER_OUTBOUND = {DETECTIONS, ASSESSMENTS, ALERTS, STATS, LLM_KEYS, MODEL_METRICS};

  /** Internal (node-local) request/reply: the LLM pool's readiness. */
  public static final String INTERNAL_LLM_STATUS = "argus.internal.llm.status";
  /** Internal (node-local): list, enable or disable LLM keys ({@code {"action", "id", "reason"}}). */
  public static final String INTERNAL_LLM_ADMIN = "argus.internal.llm.admin";
  /**
   * Internal: every result the aggregator handled, stored now or before (a replayed duplicate), as
   * {@code {"camera_id", "task_id"}}; the bridge frees the camera's pending task on it. Published, so
   * on a clustered bus the bridge owning the camera hears it wherever the result was handled.
   */
  public static final String INTERNAL_TASK_COMPLETED = "argus.internal.task.completed";
  /** An operator's verdict, stored, for the feedback meters: {@code {"model", "assessed", "risk_score", "operator"}}. */
  public static final String INTERNAL_FEEDBACK = "argus.internal.feedback";
  /** Replay commands ({@code start}, {@code status}) to the replay verticle, request/reply. */
  public static final String INTERNAL_REPLAY = "argus.internal.replay";
  /** A replayed result the aggregator set aside (the assessment's JSON), for the replay's counts. */
  public static final String INTERNAL_REPLAY_RESULT = "argus.internal.replay.result";
  /** Internal (node-local) request/reply: the demo's alerts scored against its script (see {@code demo.DemoScore}). */
  public static final String INTERNAL_DEMO_SCORE = "argus.internal.demo.score";
  /** Internal: direct-mode backbone topics are carried on {@code argus.internal.topic.<name>}. */
  public static final String INTERNAL_TOPIC_PREFIX = "argus.internal.topic.";
  /**
   * Internal (node-local) request/reply: this node's view of the cluster, {@code {"self", "members": [..]}}
   * (see {@code cluster.ClusterMembersVerticle}), for {@code GET /api/v1/cluster} and readiness.
   */
  public static final String INTERNAL_CLUSTER_VIEW = "argus.internal.cluster.view";
  /**
   * Frames refused at ingest for their own errors, per camera whose {@code camera_id} could be read, one
   * message per request or WebSocket message: {@code {"at": ms, "cameras": {"<camera_id>": n}}}. Published:
   * on a clustered bus every camera-health instance hears it and counts only the cameras whose
   * {@code detection-results} partition it owns, so each refusal is counted once.
   */
  public static final String INTERNAL_INGEST_REJECTED = "argus.internal.ingest.rejected";
  /** Internal (node-local) request/reply: the feedback meters' current summary, as on {@link #MODEL_METRICS}. */
  public static final String INTERNAL_MODEL_METRICS = "argus.internal.model.metrics";
}
