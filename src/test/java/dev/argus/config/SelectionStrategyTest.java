package dev.argus.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SelectionStrategyTest {
  @Test
  void underscoredAndHyphenatedSpellingsInAnyCaseNameTheSameStrategy() {
    assertEquals(SelectionStrategy.LEAST_LOADED, SelectionStrategy.parse("least_loaded"));
    assertEquals(SelectionStrategy.LEAST_LOADED, SelectionStrategy.parse("least-loaded"));
    assertEquals(SelectionStrategy.ROUND_ROBIN, SelectionStrategy.parse(" round-robin "));
    assertEquals(SelectionStrategy.ROUND_ROBIN, SelectionStrategy.parse("ROUND_ROBIN"));
    assertEquals(SelectionStrategy.WEIGHTED, SelectionStrategy.parse("Weighted"));
  }

  @Test
  void anUnknownNameIsNoStrategy() {
    assertNull(SelectionStrategy.parse("random"));
    assertNull(SelectionStrategy.parse(""));
    assertNull(SelectionStrategy.parse(null));
  }

  @Test
  void configAcceptsTheHyphenatedSpelling(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("c.json");
    Files.writeString(file, "{\"llm\": {\"selectionStrategy\": \"round-robin\"}}");
    assertEquals(SelectionStrategy.ROUND_ROBIN, ConfigLoader.load(file, Map.of()).llm().selectionStrategy());
  }

  @Test
  void configRefusesAnUnknownStrategyNamingItsKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("c.json");
    Files.writeString(file, "{\"llm\": {\"selectionStrategy\": \"random\"}}");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
    assertTrue(e.getMessage().startsWith("llm.selectionStrategy:"), e.getMessage());
  }
}
