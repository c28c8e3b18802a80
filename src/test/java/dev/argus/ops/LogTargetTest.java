package dev.argus.ops;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogTargetTest {

  @Test
  void logsGoToTheConsoleWhenNoLogFileIsSet() {
    assertEquals("console", LogTarget.choose(null, null));
    assertEquals("console", LogTarget.choose("", " "));
  }

  @Test
  void aLogFileFromTheEnvironmentSelectsTheRollingFile() {
    assertEquals("file", LogTarget.choose(null, "logs/argus.log"));
  }

  @Test
  void aLogFileFromASystemPropertySelectsTheRollingFile() {
    assertEquals("file", LogTarget.choose("logs/argus.log", null));
  }
}
