package dev.argus.aggregate;

import dev.argus.aggregate.ResultStore.HistoryCursor;
import dev.argus.model.Assessment;
import dev.argus.model.RiskLevel;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class MemoryResultStoreTest {
  private final MemoryResultStore store = new MemoryResultStore(1000, 100, 10_000, 10_000);

  private void record(String camera, int n) {
    Assessment a = new Assessment(camera + ":" + n, camera, String.valueOf(n), RiskLevel.LOW, 0.1, "calm", List.of(),
        Assessment.SOURCE_RULES, null, null, 0, 1000L + n, 2000L + n, null, new JsonObject());
    assertTrue(store.record(a, null, List.of()).result());
  }

  private static List<String> taskIds(Page page) {
    return page.items().stream().map(o -> o.getString("task_id")).toList();
  }

  @Test
  void historyPagesFollowTheirNextCursorNewestFirst() {
    for (int i = 0; i < 5; i++) record("cam", i);
    List<String> seen = new ArrayList<>();
    HistoryCursor before = null;
    do {
      Page page = store.history("cam", 2, before).result();
      seen.addAll(taskIds(page));
      before = HistoryCursor.parse(page.next());
    } while (before != null);
    assertEquals(List.of("cam:4", "cam:3", "cam:2", "cam:1", "cam:0"), seen);
  }

  @Test
  void aStreamStyleCursorIsReadByItsFirstNumber() {
    for (int i = 0; i < 3; i++) record("cam", i);
    String next = store.history("cam", 1, null).result().next();
    Page page = store.history("cam", 5, HistoryCursor.parse(next + "-0")).result();
    assertEquals(List.of("cam:1", "cam:0"), taskIds(page));
  }

  @Test
  void anAssessmentIsFoundByItsTaskIdAloneWhileInItsCamerasHistory() {
    record("cam", 1);
    record("cam", 2);
    assertEquals("cam:1", store.assessment("cam:1").result().getString("task_id"));
    assertNull(store.assessment("cam:9").result());
  }

  @Test
  void aVerdictIsKeptAndTheLastOneWins() {
    record("cam", 1);
    store.saveFeedback("cam:1", new JsonObject().put("risk_level", "high"));
    store.saveFeedback("cam:1", new JsonObject().put("risk_level", "none"));
    assertEquals("none", store.feedback("cam:1").getString("risk_level"));
  }
}
