package dev.argus.model;

/**
 * Every metric name Argus registers, in one place. Names are part of the external contract; the
 * Prometheus registry adds {@code _total} to counters and {@code _seconds} to timers.
 */
public final class MetricNames {
  private MetricNames() {}

  public static final String DETECTIONS = "detection";                       // detection_total
  public static final String LLM_REQUESTS = "llm_requests";                  // llm_requests_total
  public static final String LLM_LATENCY = "llm_latency";                    // llm_latency_seconds
  public static final String API_KEY_SUCCESS_RATE = "api_key_success_rate";
  public static final String KAFKA_CONSUMER_LAG = "kafka_consumer_lag";
  public static final String PIPELINE_LATENCY = "argus_pipeline_latency";    // argus_pipeline_latency_seconds
  public static final String INGEST_REJECTED = "argus_ingest_rejected";      // argus_ingest_rejected_total
  /** How late an ingest event loop runs (smoothed), per loop: what {@code http.maxLoopDelayMs} judges. */
  public static final String INGEST_LOOP_DELAY = "argus_ingest_loop_delay_seconds";
  public static final String TASKS = "argus_tasks";                          // argus_tasks_total
  public static final String TASKS_COALESCED = "argus_tasks_coalesced";      // argus_tasks_coalesced_total
  /** Cameras the bridge forgot to stay within {@code detection.maxCameras} (least recently seen first). */
  public static final String BRIDGE_CAMERAS_FORGOTTEN = "argus_bridge_cameras_forgotten"; // ..._total
  public static final String ASSESSMENTS = "argus_assessments";              // argus_assessments_total
  public static final String ASSESSMENTS_DUPLICATE = "argus_assessments_duplicate";
  public static final String ALERTS = "argus_alerts";                        // argus_alerts_total
  public static final String LLM_INFLIGHT = "llm_inflight";
  public static final String LLM_QUEUE_DEPTH = "llm_queue_depth";
  public static final String LLM_KEY_STATE = "llm_key_state";
  public static final String LLM_TASKS_EXPIRED = "llm_tasks_expired";          // llm_tasks_expired_total
  public static final String LLM_TASKS_SUPERSEDED = "llm_tasks_superseded";    // llm_tasks_superseded_total
  public static final String LLM_DISPATCH_OVERHEAD = "argus_llm_dispatch_overhead"; // argus_llm_dispatch_overhead_seconds
  public static final String DLQ = "argus_dlq";                              // argus_dlq_total
  public static final String KAFKA_EVENTS_PUBLISHED = "kafka_events_published"; // kafka_events_published_total
  /** Per record, in the stage that consumed it (timer: kafka_event_processing_duration_seconds). */
  public static final String KAFKA_EVENT_PROCESSING_DURATION = "kafka_event_processing_duration";
  /** Age of the oldest record a group has not finished, per topic. */
  public static final String KAFKA_CONSUMER_LAG_SECONDS = "kafka_consumer_lag_seconds";
  /** 1 while a component (backbone, store, llm) answers its health check, else 0. */
  public static final String COMPONENT_UP = "argus_component_up";
  public static final String DETECTION_LATENCY = "detection_latency";        // detection_latency_seconds
  public static final String FEEDBACK = "argus_assessment_feedback";       // argus_assessment_feedback_total
  public static final String FEEDBACK_LEVELS = "argus_assessment_feedback_levels"; // _total{assessed,operator}
  public static final String FEEDBACK_MAE = "argus_assessment_feedback_mae";  // mean |risk_score - operator score|

  public static final String TAG_CAMERA = "camera_id";
  public static final String TAG_MODEL_TYPE = "model_type";
  public static final String TAG_MODEL = "model";
  public static final String TAG_KEY = "api_key_id";
  public static final String TAG_STATUS = "status";
  public static final String TAG_GROUP = "group";
  public static final String TAG_TOPIC = "topic";
  public static final String TAG_SOURCE = "source";
  public static final String TAG_REASON = "reason";
  public static final String TAG_LOOP = "loop";
  public static final String TAG_LEVEL = "level";
  public static final String TAG_STATE = "state";
  public static final String TAG_EVENT_TYPE = "event_type";
  public static final String TAG_STAGE = "stage";
  public static final String TAG_COMPONENT = "component";
  public static final String TAG_AGREEMENT = "agreement";
  public static final String TAG_ASSESSED = "assessed";
  public static final String TAG_OPERATOR = "operator";

  /** The values of {@link #TAG_STAGE}. */
  public static final String STAGE_BRIDGE = "bridge";
  public static final String STAGE_LLM = "llm";
  public static final String STAGE_AGGREGATE = "aggregate";
  public static final String STAGE_QUALITY = "quality";
  public static final String STAGE_TRACKS = "tracks";

  /**
   * Where a detection's time goes, one timer per stage (argus_stage_seconds{stage}), the stages' label values
   * in {@link StageTimes}. Each is measured on the clock that is honest for it: Kafka record timestamps (set by
   * Argus's own producers) for the hops between stages, the event loop's clock inside a stage.
   */
  public static final String STAGE_SECONDS = "argus_stage";                  // argus_stage_seconds{stage}

  /** The values of {@link #TAG_STAGE} on {@link #STAGE_SECONDS}, in the order a detection passes them. */
  public static final class StageTimes {
    private StageTimes() {}

    /** Ingest: request validated -> the backbone acknowledged its frames (the 202 waits for this). */
    public static final String INGEST_ACK = "ingest_ack";
    /** Bridge: the frame's record timestamp -> its task acknowledged (includes a kept frame's wait for its camera's pending task). */
    public static final String BRIDGE = "bridge";
    /** Dispatch: the task's creation -> its first LLM call starts (Kafka delivery, then the wait for a key). */
    public static final String TASK_QUEUE = "task_queue";
    /** Dispatch: one provider call, request written -> reply (every attempt). */
    public static final String LLM_CALL = "llm_call";
    /** Aggregator: the result's record timestamp -> stored and published live. */
    public static final String AGGREGATE = "aggregate";
    /** SockJS bridge: published on the event bus -> handed to a browser's socket (per browser, per message that passes the throttle). */
    public static final String LIVE_PUSH = "live_push";

    public static final java.util.List<String> ALL = java.util.List.of(INGEST_ACK, BRIDGE, TASK_QUEUE, LLM_CALL, AGGREGATE, LIVE_PUSH);
  }

  /** Alert states taken over from the store (another owner's, or this node's before a restart). */
  public static final String ALERT_STATES_RESTORED = "argus_alert_states_restored";   // _total
  /** A camera's alert state found written by another owner (its partition moved). */
  public static final String ALERT_STATE_CONFLICTS = "argus_alert_state_conflicts";   // _total
  /** Predictive alerts that ended, by {@link #TAG_RULE} and {@link #TAG_OUTCOME} (zone: entered/withdrawn; trend: confirmed/withdrawn). */
  public static final String PREDICTIONS = "argus_predictions";                 // _total
  public static final String TAG_OUTCOME = "outcome";
  /** The rule of a predictive alert: {@code zone_entry_predicted} (tracks) or {@code risk_trend}. */
  public static final String TAG_RULE = "rule";
}
