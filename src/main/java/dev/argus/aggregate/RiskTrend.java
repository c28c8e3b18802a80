package dev.argus.aggregate;

import org.apache.commons.math3.stat.regression.SimpleRegression;

import java.util.Collection;

/**
 * Where a camera's risk score is heading: a least-squares line through its recent scores (Commons Math's
 * {@link SimpleRegression}), and when that line reaches a threshold. A prediction needs a few points, a
 * rising line that explains most of their spread, and a latest score still below the threshold, so one
 * noisy jump or a flat series predicts nothing.
 */
final class RiskTrend {
  /** Points the fit needs at least, within its window. */
  static final int MIN_POINTS = 3;
  /** Share of the scores' spread the line must explain (R²): a zig-zag is not a trend. */
  static final double MIN_FIT = 0.6;

  private RiskTrend() {}

  /**
   * Milliseconds from {@code nowMs} until the fitted line reaches {@code threshold}, when that is within
   * {@code horizonMs}; -1 otherwise (too few points, not rising, a poor fit, already there, or too far).
   *
   * @param scores {timeMs, score × 1e6} pairs, oldest first (the alert engine's memory of a camera)
   * @param windowMs only points this recent (before {@code nowMs}) are fitted
   */
  static long msUntil(Collection<long[]> scores, long nowMs, long windowMs, double threshold, long horizonMs) {
    SimpleRegression fit = new SimpleRegression();
    double latest = Double.NaN;
    long latestAt = Long.MIN_VALUE;
    for (long[] p : scores) {
      if (nowMs - p[0] > windowMs || p[0] > nowMs) continue;
      // seconds from now keep the numbers small and the intercept meaningful (the fitted score now)
      fit.addData((p[0] - nowMs) / 1000.0, p[1] / 1e6);
      if (p[0] >= latestAt) {
        latestAt = p[0];
        latest = p[1] / 1e6;
      }
    }
    if (fit.getN() < MIN_POINTS || !(latest < threshold)) return -1;
    double slopePerS = fit.getSlope();
    if (!(slopePerS > 0) || !(fit.getRSquare() >= MIN_FIT)) return -1;
    double secondsToThreshold = (threshold - fit.getIntercept()) / slopePerS;
    if (secondsToThreshold <= 0) return 0; // the line is there already though the last score is not: imminent
    long ms = Math.round(secondsToThreshold * 1000);
    return ms <= horizonMs ? ms : -1;
  }

  /** The fitted slope in score per minute, for the alert's message (0 with too few points). */
  static double slopePerMinute(Collection<long[]> scores, long nowMs, long windowMs) {
    SimpleRegression fit = new SimpleRegression();
    for (long[] p : scores) {
      if (nowMs - p[0] <= windowMs && p[0] <= nowMs) fit.addData((p[0] - nowMs) / 1000.0, p[1] / 1e6);
    }
    return fit.getN() < 2 ? 0 : fit.getSlope() * 60;
  }
}
