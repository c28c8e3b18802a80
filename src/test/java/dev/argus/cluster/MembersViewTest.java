package dev.argus.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class MembersViewTest {
  private static JsonObject info(String id, int port, int... parts) {
    JsonArray p = new JsonArray();
    for (int x : parts) p.add(x);
    return new JsonObject().put("id", id).put("host", "127.0.0.1").put("http_port", port)
        .put("partitions", new JsonObject().put("detection-results", p)).put("groups", new JsonObject());
  }

  @Test
  void listsTheLiveMembersWithWhatTheyPublished() {
    JsonObject v = MembersView.of("b", Map.of("a", info("a", 8081, 0, 1), "b", info("b", 8082, 2, 3)),
        Map.of("a", "127.0.0.1", "b", "127.0.0.1"));
    assertEquals("b", v.getString("self"));
    JsonArray m = v.getJsonArray("members");
    assertEquals(2, m.size());
    assertEquals("a", m.getJsonObject(0).getString("id"));
    assertEquals(8081, m.getJsonObject(0).getInteger("http_port"));
    assertEquals(new JsonArray().add(2).add(3), m.getJsonObject(1).getJsonObject("partitions").getJsonArray("detection-results"));
  }

  @Test
  void aDeadMembersEntryIsLeftOutBeforeItExpires() {
    JsonObject v = MembersView.of("a", Map.of("a", info("a", 8081, 0), "dead", info("dead", 8083, 1)),
        Map.of("a", "127.0.0.1"));
    assertEquals(1, v.getJsonArray("members").size());
    assertEquals("a", v.getJsonArray("members").getJsonObject(0).getString("id"));
  }

  @Test
  void aLiveMemberThatHasNotPublishedYetIsListedWithoutPartitions() {
    JsonObject v = MembersView.of("a", Map.of("a", info("a", 8081, 0)), Map.of("a", "127.0.0.1", "new", "10.0.0.7"));
    JsonObject fresh = v.getJsonArray("members").getJsonObject(1);
    assertEquals("new", fresh.getString("id"));
    assertEquals("10.0.0.7", fresh.getString("host"));
    assertNull(fresh.getValue("http_port"));
    assertTrue(fresh.getJsonObject("partitions").isEmpty());
  }

  @Test
  void standaloneIsOneMember() {
    JsonObject v = MembersView.standalone(info("solo", 8080, 0, 1, 2));
    assertEquals("solo", v.getString("self"));
    assertEquals(1, v.getJsonArray("members").size());
    JsonObject check = MembersView.check(false, v);
    assertEquals("UP", check.getString("status"));
    assertEquals(1, check.getInteger("members"));
    assertFalse(check.getBoolean("enabled"));
  }

  @Test
  void theCheckIsDownWhenThisNodeIsNotAmongTheMembers() {
    JsonObject v = MembersView.of("me", Map.of(), Map.of("other", "127.0.0.1"));
    JsonObject check = MembersView.check(true, v);
    assertEquals("DOWN", check.getString("status"));
    assertFalse(check.getBoolean("joined"));
    assertEquals(1, check.getInteger("members"));
  }
}
