package dev.argus.http;

import dev.argus.aggregate.ResultStore.AlertCursor;
import dev.argus.aggregate.ResultStore.HistoryCursor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ReadQueryTest {

  private static ReadQuery.History history(Map<String, String> params) throws ReadQuery.Invalid {
    return ReadQuery.history(params::get);
  }

  private static ReadQuery.Alerts alerts(Map<String, String> params) throws ReadQuery.Invalid {
    return ReadQuery.alerts(params::get);
  }

  @Test
  void limitDefaultsTo50WhenAbsentOrEmpty() throws Exception {
    assertEquals(50, history(Map.of()).limit());
    assertEquals(50, alerts(Map.of("limit", "")).limit());
  }

  @Test
  void limitAccepts1To1000() throws Exception {
    assertEquals(1, history(Map.of("limit", "1")).limit());
    assertEquals(1000, history(Map.of("limit", "1000")).limit());
  }

  @Test
  void limitOutsideItsRangeOrNotANumberIsRefused() {
    for (String bad : new String[] {"0", "1001", "-3", "ten", "2.5", "99999999999"}) {
      assertThrows(ReadQuery.Invalid.class, () -> history(Map.of("limit", bad)), bad);
    }
  }

  @Test
  void statusAcceptsTheFourAlertStatuses() throws Exception {
    for (String s : new String[] {"open", "updated", "escalated", "resolved"}) {
      assertEquals(s, alerts(Map.of("status", s)).status());
    }
    assertNull(alerts(Map.of()).status());
  }

  @Test
  void anUnknownStatusIsRefused() {
    assertThrows(ReadQuery.Invalid.class, () -> alerts(Map.of("status", "sleeping")));
  }

  @Test
  void sinceReadsEpochMillisecondsAndIso8601() throws Exception {
    assertEquals(1_700_000_000_000L, alerts(Map.of("since", "1700000000000")).sinceMs());
    assertEquals(1_700_000_000_000L, alerts(Map.of("since", "2023-11-14T22:13:20Z")).sinceMs());
  }

  @Test
  void sinceThatIsNeitherIsRefused() {
    for (String bad : new String[] {"yesterday", "2023-11-14", "-5", "99999999999999999999"}) {
      assertThrows(ReadQuery.Invalid.class, () -> alerts(Map.of("since", bad)), bad);
    }
  }

  @Test
  void anAlertCursorIsLastSeenAndAlertId() throws Exception {
    assertEquals(new AlertCursor(1700000000000L, "cam-1:fire:3"), alerts(Map.of("cursor", "1700000000000:cam-1:fire:3")).cursor());
    assertNull(alerts(Map.of("cursor", "")).cursor());
  }

  @Test
  void aMalformedAlertCursorIsRefusedBeforeTheStoreIsAsked() {
    for (String bad : new String[] {"abc", "5", ":id", "5:", "x:id", "99999999999999999999:id"}) {
      assertThrows(ReadQuery.Invalid.class, () -> alerts(Map.of("cursor", bad)), bad);
    }
  }

  @Test
  void aHistoryCursorIsASequenceNumberOrAStreamId() throws Exception {
    assertEquals(new HistoryCursor(42, null), history(Map.of("before", "42")).before());
    assertEquals(new HistoryCursor(1700000000000L, 3L), history(Map.of("before", "1700000000000-3")).before());
    assertNull(history(Map.of("before", "")).before());
  }

  @Test
  void aMalformedHistoryCursorIsRefusedBeforeTheStoreIsAsked() {
    for (String bad : new String[] {"abc", "1-", "-1", "1-2-3", "1700000000000-x", "1234567890123456789", " 5"}) {
      assertThrows(ReadQuery.Invalid.class, () -> history(Map.of("before", bad)), bad);
    }
  }

  @Test
  void theRefusalSaysWhichParameter() {
    ReadQuery.Invalid e = assertThrows(ReadQuery.Invalid.class, () -> history(Map.of("before", "zzz")));
    assertTrue(e.getMessage().startsWith("before"), e.getMessage());
  }
}
