package dev.argus.config;

import dev.argus.security.IngestToken;
import dev.argus.security.IngestTokens;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code http.ingestTokensFile}: YAML (or JSON, which YAML reads too), either a list of token objects or
 * {@code {tokens: [...]}}; each object is {@code {token, prefixes: [..], framesPerSecond}}. Kept out of the
 * main configuration so the secrets can live in a file only the gateway's user reads.
 */
final class IngestTokenFile {
  private IngestTokenFile() {}

  static List<IngestToken> read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException("http.ingestTokensFile", "cannot read " + file + ": " + e.getMessage());
    }
    Object doc;
    try {
      doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    } catch (RuntimeException e) {
      // The parser's message may quote the file's text, that is a token: say only where.
      throw new ConfigException("http.ingestTokensFile", file + " is not valid YAML or JSON");
    }
    if (doc instanceof Map<?, ?> m) doc = m.get("tokens");
    if (doc == null) return List.of();
    if (!(doc instanceof List<?> l)) {
      throw new ConfigException("http.ingestTokensFile", "expected a list of tokens or {tokens: [...]} in " + file);
    }
    try {
      return IngestTokens.fromMaps(l);
    } catch (IngestTokens.Invalid e) {
      throw new ConfigException("http.ingestTokensFile", e.getMessage());
    }
  }
}
