// The page's half of the external contract (the bridge and the REST read API, see the README): the
// event-bus addresses a browser may receive from and the values their messages carry. One list of
// each for the page; the Java side keeps its own (dev.argus.model.BusAddresses, RiskLevel, Alert).

export const ADDRESSES = Object.freeze({
  detections: 'argus.detections',
  assessments: 'argus.assessments',
  alerts: 'argus.alerts',
  stats: 'argus.stats',
  llmKeys: 'argus.llm.keys',
  modelMetrics: 'argus.model.metrics',
});

/** Risk levels, least severe first (the order is the severity). */
export const RISK_LEVELS = Object.freeze(['low', 'medium', 'high', 'critical']);

/** Alert levels: the risk levels, and `predicted` (a tracked object heading into a zone, not there yet). */
export const ALERT_LEVELS = Object.freeze([...RISK_LEVELS, 'predicted']);

export const ALERT_STATUSES = Object.freeze(['open', 'updated', 'escalated', 'resolved']);
/** Statuses of an alert that still needs attention. */
export const ACTIVE_ALERT_STATUSES = Object.freeze(['open', 'updated', 'escalated']);

export const KEY_STATES = Object.freeze(['probing', 'active', 'cooling', 'disabled', 'circuit_open']);

/** Who judged a frame: the LLM, or the rules assessor (the fallback). */
export const SOURCES = Object.freeze(['llm', 'rules']);

export const ALERT_KINDS = Object.freeze(['risk', 'data_quality']);
