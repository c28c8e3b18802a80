package dev.argus.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LlmKeysTest {
  @Test
  void aKeyFileNamesAccountsAndTpmLimits(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keys.yaml");
    Files.writeString(file, """
        keys:
          - id: a
            api_key: sk-aaaaaaaaaaaa
            account: org-1
            tpm_limit: 240000
          - id: b
            api_key: sk-bbbbbbbbbbbb
        """);
    List<LlmKeySpec> keys = LlmKeys.fromYaml(file).keys();
    assertEquals("org-1", keys.get(0).account());
    assertEquals(240_000, keys.get(0).tpmLimit());
    assertNull(keys.get(1).account());
    assertEquals("b", keys.get(1).accountName(), "without an account a key is its own");
  }

  @Test
  void theEnvironmentListNamesAnAccountAfterTheId() {
    List<LlmKeySpec> keys = LlmKeys.fromList(List.of("a@org-1=sk-aaaaaaaaaaaa", "b=sk-bbbbbbbbbbbb"));
    assertEquals("a", keys.get(0).id());
    assertEquals("org-1", keys.get(0).account());
    assertNull(keys.get(1).account());
  }
}
