package dev.argus.config;

import java.util.List;
import java.util.Set;

/**
 * How one camera is gated: the minimum interval between tasks (a scene change only counts after it),
 * the heartbeat interval (a task even if nothing changed), high-risk labels (a task at once), what counts
 * as a scene change, the zones, and the density clustering of one label.
 */
public record CameraRules(long minIntervalMs, long maxIntervalMs, Set<String> highRiskLabels, int countDelta,
                          double confidenceJump, List<Zone> zones, String clusterLabel, double clusterEpsRatio,
                          int clusterMinPoints, int crowdSize, double frameWidth, double frameHeight) {}
