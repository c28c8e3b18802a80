package dev.argus.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Loads configuration once: built-in {@code conf.json}, then a {@code -conf} file, then the environment. */
public final class ConfigLoader {
  private ConfigLoader() {}

  public static JsonObject defaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/conf.json")) {
      if (in == null) throw new IllegalStateException("conf.json is missing from the classpath");
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the built-in conf.json", e);
    }
  }

  /** Merged raw configuration; {@code confFile} may be null. */
  public static JsonObject merged(Path confFile, Map<String, String> env) {
    JsonObject conf = defaults();
    if (confFile != null) {
      try {
        conf.mergeIn(new JsonObject(Files.readString(confFile)), true);
      } catch (IOException e) {
        throw new ConfigException("-conf", "cannot read " + confFile + ": " + e.getMessage());
      } catch (DecodeException e) {
        throw new ConfigException("-conf", confFile + " is not valid JSON: " + e.getMessage());
      }
    }
    EnvOverrides.apply(conf, env);
    return conf;
  }

  public static ArgusConfig load(Path confFile, Map<String, String> env) {
    return ArgusConfig.from(merged(confFile, env));
  }
}
