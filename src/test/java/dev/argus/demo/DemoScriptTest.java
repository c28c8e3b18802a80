package dev.argus.demo;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class DemoScriptTest {
  private final DemoScript script = new DemoScript(50, 42, 1.0);

  @Test
  void theSameSeedGivesTheSameScript() {
    assertEquals(script.cycle(0), new DemoScript(50, 42, 1.0).cycle(0));
    assertEquals(script.cycle(3), new DemoScript(50, 42, 1.0).cycle(3));
  }

  @Test
  void everyCycleHasEachKindOnceOnFiveDifferentCameras() {
    List<DemoScript.Incident> cycle = script.cycle(0);
    assertEquals(List.of(DemoScript.Kind.values()), cycle.stream().map(DemoScript.Incident::kind).toList());
    Set<String> cameras = new HashSet<>();
    cycle.forEach(i -> cameras.add(i.cameraId()));
    assertEquals(5, cameras.size());
  }

  @Test
  void anIntrusionHappensOnACameraWithAZoneAndNothingElseDoes() {
    for (int n = 0; n < 20; n++) {
      for (DemoScript.Incident i : script.cycle(n)) {
        int index = Integer.parseInt(i.cameraId().substring(4));
        assertEquals(i.kind() == DemoScript.Kind.INTRUSION, DemoScript.hasZone(index), i.toString());
      }
    }
  }

  @Test
  void withTooFewCamerasTheKindsThatFitAreScripted() {
    List<DemoScript.Incident> two = new DemoScript(2, 42, 1.0).cycle(0);
    assertEquals(List.of(DemoScript.Kind.FIRE, DemoScript.Kind.INTRUSION), two.stream().map(DemoScript.Incident::kind).toList());
    assertEquals(List.of("cam-002", "cam-001"), two.stream().map(DemoScript.Incident::cameraId).toList());
  }

  @Test
  void theTimeScaleShrinksEveryTime() {
    DemoScript.Incident full = script.cycle(1).get(0);
    DemoScript.Incident half = new DemoScript(50, 42, 0.5).cycle(1).get(0);
    assertEquals(full.startMs() / 2, half.startMs());
    assertEquals(full.endMs() / 2, half.endMs());
  }

  @Test
  void onlyStartedIncidentsCountAsGroundTruth() {
    assertEquals(List.of(), script.startedBy(39_999));
    assertEquals(1, script.startedBy(40_000).size());
    assertEquals(7, script.startedBy(DemoScript.CYCLE_MS + 70_000).size());
  }

  @Test
  void aCameraIsCalmOutsideItsIncident() {
    DemoScript.Incident fire = script.cycle(0).get(0);
    assertNull(script.activeOn(fire.cameraId(), fire.startMs() - 1));
    assertEquals(fire, script.activeOn(fire.cameraId(), fire.startMs()));
    assertNull(script.activeOn(fire.cameraId(), fire.endMs()));
  }
}
