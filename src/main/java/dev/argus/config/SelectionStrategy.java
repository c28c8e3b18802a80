package dev.argus.config;

import java.util.Locale;

/**
 * How the key pool picks among the keys that could all take a call. Settings may spell it with
 * {@code _} or {@code -}, in any case ({@code least_loaded}, {@code round-robin}, {@code WEIGHTED}).
 */
public enum SelectionStrategy {
  LEAST_LOADED, ROUND_ROBIN, WEIGHTED;

  /** The strategy a setting names, or null when it names none. */
  public static SelectionStrategy parse(String setting) {
    if (setting == null) return null;
    String name = setting.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (SelectionStrategy s : values()) {
      if (s.name().equals(name)) return s;
    }
    return null;
  }
}
