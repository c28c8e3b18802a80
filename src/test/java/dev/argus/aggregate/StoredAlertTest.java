package dev.argus.aggregate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** One stored alert that cannot be read is skipped, so it cannot take the whole alert list down (it answered 503). */
class StoredAlertTest {
  private static final String GOOD = """
      {"alert_id":"a-1","camera_id":"c","level":"high","message":"m","count":2,"first_seen":"2026-11-30T10:00:00Z",
       "last_seen":"2026-11-30T10:01:00Z","status":"open","task_id":"t","kind":"risk","rule":"high_risk"}""";

  @Test
  void aReadableAlertIsRead() {
    assertEquals("a-1", RedisResultStore.readableAlert(GOOD).alertId());
  }

  @Test
  void anAlertOfAnUnknownLevelOrDamagedJsonIsSkipped() {
    assertNull(RedisResultStore.readableAlert(GOOD.replace("\"high\"", "\"apocalyptic\"")));
    assertNull(RedisResultStore.readableAlert(GOOD.replace("2026-11-30T10:00:00Z", "yesterday")));
    assertNull(RedisResultStore.readableAlert("{\"alert_id\":"));
  }
}
