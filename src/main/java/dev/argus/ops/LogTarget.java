package dev.argus.ops;

import ch.qos.logback.core.PropertyDefinerBase;

/**
 * Picks logback's appender: {@code file} (logback-file.xml, rolling) when {@code ARGUS_LOG_FILE} is set
 * as a system property or environment variable, else {@code console}. A class because logback has no
 * "if set" substitution without Janino.
 */
public final class LogTarget extends PropertyDefinerBase {
  static final String VARIABLE = "ARGUS_LOG_FILE";

  @Override
  public String getPropertyValue() {
    return choose(System.getProperty(VARIABLE), System.getenv(VARIABLE));
  }

  static String choose(String property, String env) {
    boolean set = (property != null && !property.isBlank()) || (env != null && !env.isBlank());
    return set ? "file" : "console";
  }
}
