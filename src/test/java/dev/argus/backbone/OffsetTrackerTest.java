package dev.argus.backbone;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class OffsetTrackerTest {
  private final OffsetTracker<String> t = new OffsetTracker<>();

  @Test
  void nothingIsCommittedPastAnUnfinishedRecord() {
    t.started("p0", 10, 0);
    t.started("p0", 11, 0);
    t.started("p0", 12, 0);
    t.finished("p0", 11);
    t.finished("p0", 12);
    assertEquals(Map.of("p0", 10L), t.committable(), "10 is unfinished: commit up to (not past) it");
    t.finished("p0", 10);
    assertEquals(Map.of("p0", 13L), t.committable());
  }

  @Test
  void onlyMovedPartitionsAreReturnedAfterACommit() {
    t.started("p0", 0, 0);
    t.started("p1", 5, 0);
    t.finished("p0", 0);
    t.finished("p1", 5);
    t.committed(t.committable());
    assertEquals(Map.of(), t.committable());
    t.started("p1", 6, 0);
    t.finished("p1", 6);
    assertEquals(Map.of("p1", 7L), t.committable());
  }

  @Test
  void aRevokedPartitionIsForgotten() {
    t.started("p0", 3, 0);
    t.revoked("p0");
    t.finished("p0", 3);
    assertEquals(Map.of(), t.committable());
    assertEquals(0, t.inProgress());
  }

  @Test
  void theLagAgeIsTheTimeOfTheOldestRecordNotYetCommitted() {
    assertEquals(-1, t.oldestUncommittedMs(), "nothing seen: no age");
    t.started("p0", 10, 1_000);
    t.started("p0", 11, 2_000);
    t.started("p1", 0, 1_500);
    assertEquals(1_000, t.oldestUncommittedMs());
    t.finished("p0", 10);
    t.committed(t.committable());
    assertEquals(1_500, t.oldestUncommittedMs(), "p0@10 is committed; p1@0 is now the oldest");
  }
}
