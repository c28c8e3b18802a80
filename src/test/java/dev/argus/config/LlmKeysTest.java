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

  @Test
  void aKeyFileDeclaresAnAccountsOwnLimitsWhichItsKeysCarry(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keys.yaml");
    Files.writeString(file, """
        accounts:
          - id: org-1
            qps_limit: 12.5
            rpm_limit: 600
            tpm_limit: 90000
        keys:
          - id: a
            api_key: sk-aaaaaaaaaaaa
            account: org-1
            qps_limit: 10
          - id: b
            api_key: sk-bbbbbbbbbbbb
            account: org-1
          - id: c
            api_key: sk-cccccccccccc
            account: org-2
          - id: d
            api_key: sk-dddddddddddd
        """);
    List<LlmKeySpec> keys = LlmKeys.fromYaml(file).keys();
    LlmAccountSpec org1 = keys.get(0).accountLimits();
    assertEquals(new LlmAccountSpec("org-1", 12.5, 600, 90_000), org1);
    assertSame(org1, keys.get(1).accountLimits(), "every key of the account carries the same limits");
    assertEquals(10, keys.get(0).qpsLimit(), "a key's own limit stays its own");
    assertEquals(0, keys.get(1).qpsLimit());
    assertNull(keys.get(2).accountLimits(), "an account the section does not declare has no declared limits");
    assertNull(keys.get(3).accountLimits(), "a key of its own account has only its own limits");
  }

  @Test
  void accountErrorsNameTheFileAndTheEntry(@TempDir Path dir) throws Exception {
    String keys = """
        keys:
          - id: a
            api_key: sk-aaaaaaaaaaaa
            account: org-1
        """;
    Path file = dir.resolve("keys.yaml");
    for (String[] bad : new String[][] {
        {"accounts:\n  - id: org-1\n    qps_limit: -1\n", "accounts[0] (org-1).qps_limit"},
        {"accounts:\n  - id: org-1\n    rpm_limit: lots\n", "accounts[0] (org-1).rpm_limit"},
        {"accounts:\n  - id: org-1\n    qps: 10\n", "unknown field 'qps'"},
        {"accounts:\n  - qps_limit: 10\n", "accounts[0]: id is required"},
        {"accounts:\n  - id: org-1\n  - id: org-1\n", "accounts[1] (org-1): duplicate account id"},
        {"accounts:\n  - id: org-1\n  - id: org-9\n    qps_limit: 5\n", "accounts['org-9']: no key names this account"},
        {"accounts: {id: org-1}\n", "accounts: must be a list"}}) {
      Files.writeString(file, bad[0] + keys);
      ConfigException e = assertThrows(ConfigException.class, () -> LlmKeys.fromYaml(file), bad[0]);
      assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
      assertTrue(e.getMessage().contains(bad[1]), "names the entry (" + bad[1] + "): " + e.getMessage());
    }
  }
}
