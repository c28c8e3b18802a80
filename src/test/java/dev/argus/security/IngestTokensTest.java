package dev.argus.security;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class IngestTokensTest {
  @Test
  void aBareTokenMayPostForEveryCameraWithoutALimitOfItsOwn() {
    IngestToken t = IngestTokens.parseEntry("abcdefgh12", 1);
    assertEquals("abcdefgh12", t.token());
    assertEquals(List.of(), t.prefixes());
    assertEquals(0, t.framesPerSecond());
    assertTrue(t.allows("anything"));
  }

  @Test
  void prefixesAreSeparatedByBarsAndTheRateComesLast() {
    IngestToken t = IngestTokens.parseEntry("abcdefgh12:dock-|yard-:50", 1);
    assertEquals(List.of("dock-", "yard-"), t.prefixes());
    assertEquals(50, t.framesPerSecond());
  }

  @Test
  void anEmptyOrStarPrefixListMeansEveryCamera() {
    assertEquals(List.of(), IngestTokens.parseEntry("abcdefgh12::10", 1).prefixes());
    assertEquals(List.of(), IngestTokens.parseEntry("abcdefgh12:*:10", 1).prefixes());
  }

  @Test
  void aListIsCommaSeparatedAndSkipsBlanks() {
    List<IngestToken> ts = IngestTokens.parseList(" aaaaaaaa1 , ,bbbbbbbb2:cam-");
    assertEquals(2, ts.size());
    assertEquals("bbbbbbbb2", ts.get(1).token());
  }

  @Test
  void anEmptyListMeansNoTokens() {
    assertTrue(IngestTokens.parseList("").isEmpty());
    assertTrue(IngestTokens.parseList(null).isEmpty());
  }

  @Test
  void aShortTokenIsRefusedWithoutQuotingIt() {
    IngestTokens.Invalid e = assertThrows(IngestTokens.Invalid.class, () -> IngestTokens.parseList("aaaaaaaa1,short"));
    assertTrue(e.getMessage().contains("entry 2"), e.getMessage());
    assertFalse(e.getMessage().contains("short"), e.getMessage());
  }

  @Test
  void aNegativeOrNonNumericRateIsRefused() {
    assertThrows(IngestTokens.Invalid.class, () -> IngestTokens.parseEntry("abcdefgh12:cam:-1", 1));
    assertThrows(IngestTokens.Invalid.class, () -> IngestTokens.parseEntry("abcdefgh12:cam:fast", 1));
  }

  @Test
  void tooManyPartsAreRefused() {
    assertThrows(IngestTokens.Invalid.class, () -> IngestTokens.parseEntry("abcdefgh12:a:1:x", 1));
  }

  @Test
  void aRepeatedTokenIsRefused() {
    assertThrows(IngestTokens.Invalid.class, () -> IngestTokens.parseList("abcdefgh12,abcdefgh12:cam"));
  }

  @Test
  void theFileFormTakesObjectsWithPrefixesAndRate() {
    List<IngestToken> ts = IngestTokens.fromMaps(List.of(
        Map.of("token", "abcdefgh12", "prefixes", List.of("dock-", "yard-"), "framesPerSecond", 20),
        Map.of("token", "zyxwvuts98")));
    assertEquals(List.of("dock-", "yard-"), ts.get(0).prefixes());
    assertEquals(20, ts.get(0).framesPerSecond());
    assertEquals(0, ts.get(1).framesPerSecond());
  }

  @Test
  void theFileFormRefusesAnEntryThatIsNotAnObject() {
    assertThrows(IngestTokens.Invalid.class, () -> IngestTokens.fromMaps(List.of("abcdefgh12")));
  }

  @Test
  void aPrefixMatchesOnlyTheStartOfTheCameraId() {
    IngestToken t = IngestTokens.parseEntry("abcdefgh12:dock-", 1);
    assertTrue(t.allows("dock-7"));
    assertFalse(t.allows("yard-dock-7"));
  }

  @Test
  void theTokenNeverAppearsInItsTextForm() {
    IngestToken t = IngestTokens.parseEntry("abcdefghijkl1234:dock-", 1);
    assertFalse(t.toString().contains("abcdefghijkl"), t.toString());
    assertEquals("****1234", t.masked());
  }
}
