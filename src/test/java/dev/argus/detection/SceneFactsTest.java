package dev.argus.detection;

import dev.argus.config.CameraRules;
import dev.argus.config.RuleBook;
import dev.argus.config.TestRules;
import dev.argus.config.Zone;
import dev.argus.model.DetectedObject;
import dev.argus.model.Detection;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class SceneFactsTest {
  private final RuleBook book = TestRules.book(
      "{\"cluster\": {\"label\": \"person\", \"epsRatio\": 0.05, \"minPoints\": 3}}");

  private static DetectedObject person(double x, double y) {
    return new DetectedObject("person", 0.9, new double[] {x - 10, y - 20, x + 10, y + 20}, null);
  }

  private SceneFacts scene(List<DetectedObject> objects) {
    return SceneFacts.of(new Detection("c", null, null, null, null, objects), book.rules("c"), 1280, 720);
  }

  @Test
  void twoGroupsAndAStrayAreTwoClustersBiggestFirst() {
    List<DetectedObject> objects = new ArrayList<>();
    for (int i = 0; i < 12; i++) objects.add(person(200 + (i % 4) * 15, 200 + (i / 4) * 15)); // a crowd of 12
    for (int i = 0; i < 4; i++) objects.add(person(900 + i * 20, 500));                      // a group of 4
    objects.add(person(640, 50));                                                             // alone
    SceneFacts f = scene(objects);
    assertEquals(2, f.clusters().size());
    assertEquals(12, f.largestCluster());
    assertEquals(4, f.clusters().get(1).getInteger("size"));
    assertEquals(17, f.counts().get("person"));
  }

  @Test
  void theSameLayoutScaledToAnotherResolutionClustersTheSame() {
    List<DetectedObject> small = new ArrayList<>();
    List<DetectedObject> big = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      small.add(person(100 + i * 20, 100));
      big.add(new DetectedObject("person", 0.9, new double[] {300 + i * 60 - 30, 300 - 60, 300 + i * 60 + 30, 300 + 60}, null));
    }
    CameraRules r = book.rules("c");
    assertEquals(1, SceneFacts.of(new Detection("c", null, null, null, null, small), r, 1280, 720).clusters().size());
    assertEquals(1, SceneFacts.of(new Detection("c", null, null, null, null, big), r, 3840, 2160).clusters().size());
  }

  @Test
  void fewerPeopleThanMinPointsAreNoCluster() {
    assertEquals(List.of(), scene(List.of(person(10, 10), person(12, 12))).clusters());
  }

  @Test
  void zoneContainmentUsesTheBoxCentre() {
    Zone z = new Zone("door", List.of(new double[] {0, 0}, new double[] {10, 0}, new double[] {10, 10}, new double[] {0, 10}), Set.of());
    assertTrue(z.contains(5, 5));
    assertFalse(z.contains(15, 5));
    Zone triangle = new Zone("t", List.of(new double[] {0, 0}, new double[] {10, 0}, new double[] {0, 10}), Set.of("person"));
    assertTrue(triangle.contains(2, 2));
    assertFalse(triangle.contains(8, 8));
    assertFalse(triangle.applies("car"));
  }
}
