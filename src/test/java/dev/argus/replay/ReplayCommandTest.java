package dev.argus.replay;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ReplayCommandTest {
  @Test
  void numbersAreEpochMillisecondsAndTheRestIsoTimes() {
    ReplayCommand.Options o = ReplayCommand.parse(List.of("--url", "http://h:8080/", "--from", "1000",
        "--to", "2026-11-30T12:00:00Z", "--camera", "c1"), null);
    assertEquals("http://h:8080", o.url());
    assertEquals(1000L, o.body().getLong("from"));
    assertEquals("2026-11-30T12:00:00Z", o.body().getString("to"));
    assertEquals("c1", o.body().getString("camera_id"));
  }

  @Test
  void theTokenComesFromTheEnvironmentUnlessGiven() {
    List<String> base = List.of("--url", "http://h", "--from", "1", "--to", "2");
    assertEquals("env", ReplayCommand.parse(base, "env").token());
    List<String> withToken = new ArrayList<>(base);
    withToken.addAll(List.of("--token", "arg"));
    assertEquals("arg", ReplayCommand.parse(withToken, "env").token());
  }

  @Test
  void aBadRangeIsRefusedBeforeAnythingIsSent() {
    assertThrows(IllegalArgumentException.class, () -> ReplayCommand.parse(List.of("--url", "http://h", "--from", "5", "--to", "1"), null));
    assertThrows(IllegalArgumentException.class, () -> ReplayCommand.parse(List.of("--from", "1", "--to", "2"), null));
  }
}
