package dev.argus.aggregate;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class RiskTrendTest {
  private static List<long[]> scores(long[] times, double... values) {
    List<long[]> out = new ArrayList<>();
    for (int i = 0; i < values.length; i++) out.add(new long[] {times[i], Math.round(values[i] * 1e6)});
    return out;
  }

  @Test
  void aSteadyRiseReachesTheThresholdWhereTheLineSays() {
    // 0.1 per 10 s: from 0.4 at t=20 s, 0.6 is 20 s away
    List<long[]> s = scores(new long[] {0, 10_000, 20_000}, 0.2, 0.3, 0.4);
    assertEquals(20_000, RiskTrend.msUntil(s, 20_000, 60_000, 0.6, 30_000), 1);
    assertEquals(-1, RiskTrend.msUntil(s, 20_000, 60_000, 0.6, 10_000), "beyond the horizon is no prediction");
  }

  @Test
  void twoPointsAFlatOrFallingSeriesOrAZigZagPredictNothing() {
    assertEquals(-1, RiskTrend.msUntil(scores(new long[] {0, 1000}, 0.2, 0.5), 1000, 60_000, 0.6, 60_000));
    assertEquals(-1, RiskTrend.msUntil(scores(new long[] {0, 1000, 2000}, 0.4, 0.4, 0.4), 2000, 60_000, 0.6, 60_000));
    assertEquals(-1, RiskTrend.msUntil(scores(new long[] {0, 1000, 2000}, 0.5, 0.4, 0.3), 2000, 60_000, 0.6, 60_000));
    assertEquals(-1, RiskTrend.msUntil(scores(new long[] {0, 1000, 2000, 3000, 4000}, 0.1, 0.5, 0.1, 0.5, 0.2),
        4000, 60_000, 0.6, 60_000), "a poor fit is not a trend");
  }

  @Test
  void aLatestScoreAtTheThresholdAlreadyIsNoPrediction() {
    assertEquals(-1, RiskTrend.msUntil(scores(new long[] {0, 1000, 2000}, 0.4, 0.5, 0.6), 2000, 60_000, 0.6, 60_000));
  }

  @Test
  void pointsOutsideTheWindowAreNotFitted() {
    // an old high point would make the recent rise a poor fit if it counted
    List<long[]> s = scores(new long[] {0, 100_000, 110_000, 120_000}, 0.9, 0.2, 0.3, 0.4);
    assertEquals(20_000, RiskTrend.msUntil(s, 120_000, 60_000, 0.6, 30_000), 1);
  }
}
