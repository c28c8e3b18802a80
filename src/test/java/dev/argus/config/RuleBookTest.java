package dev.argus.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class RuleBookTest {
  private final RuleBook book = TestRules.book("""
      {"minIntervalMs": 2000, "maxIntervalMs": 30000,
       "groups": [{"prefix": "lobby-", "minIntervalMs": 500}, {"cameras": ["yard"], "maxIntervalMs": 5000}],
       "cameras": {"lobby-1": {"maxIntervalMs": 1000}}}""");

  @Test
  void cameraOverridesGroupOverridesDefaults() {
    assertEquals(2000, book.rules("street").minIntervalMs());
    assertEquals(500, book.rules("lobby-2").minIntervalMs());
    assertEquals(500, book.rules("lobby-1").minIntervalMs());
    assertEquals(1000, book.rules("lobby-1").maxIntervalMs());
    assertEquals(5000, book.rules("yard").maxIntervalMs());
  }

  @Test
  void badRulesNameTheirKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> TestRules.book(
        "{\"cameras\": {\"c1\": {\"zones\": [{\"name\": \"z\", \"polygon\": [[0,0],[1,1]]}]}}}"));
    assertTrue(e.getMessage().startsWith("detection.cameras.c1.zones[0].polygon"), e.getMessage());
    assertThrows(ConfigException.class, () -> TestRules.book("{\"minIntervalMs\": 5000, \"maxIntervalMs\": 100}"));
  }
  @Test
  void camerasWithoutAnEntryShareTheirSourcesRulesInsteadOfACopyPerId() {
    assertSame(book.rules("street"), book.rules("street-" + System.nanoTime()), "the defaults' rules, not a copy per id");
    assertSame(book.rules("lobby-2"), book.rules("lobby-99"), "one group, one set of rules");
    assertNotSame(book.rules("lobby-1"), book.rules("lobby-2"), "a camera's own entry has its own");
  }
  @Test
  void theFirstMatchingGroupWinsWhetherItMatchesByPrefixOrByList() {
    RuleBook b = TestRules.book("""
        {"minIntervalMs": 2000, "maxIntervalMs": 30000,
         "groups": [{"cameras": ["dock-7"], "minIntervalMs": 100}, {"prefix": "dock-", "minIntervalMs": 200},
                    {"cameras": ["dock-9", "dock-7"], "minIntervalMs": 300}]}""");
    assertEquals(100, b.rules("dock-7").minIntervalMs(), "listed in the first group");
    assertEquals(200, b.rules("dock-9").minIntervalMs(), "the prefix group comes before the list that names it");
    assertEquals(200, b.rules("dock-1").minIntervalMs());
    assertEquals(2000, b.rules("yard").minIntervalMs());
  }
}
