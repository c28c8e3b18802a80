package dev.argus.config;

/**
 * One LLM API key as configured. {@code qpsLimit}/{@code rpmLimit} of 0 mean "unknown"; {@code baseUrl}
 * and {@code model} of null mean "the provider default".
 */
public record LlmKeySpec(String id, String secret, int priority, double qpsLimit, int rpmLimit,
                         int weight, String baseUrl, String model) {

  /** The key as it may be shown anywhere: {@code sk-…abcd}. */
  public String masked() {
    return mask(secret);
  }

  public static String mask(String secret) {
    if (secret == null || secret.isEmpty()) return "";
    String tail = secret.length() > 8 ? secret.substring(secret.length() - 4) : "";
    String head = secret.startsWith("sk-") ? "sk-" : "";
    return head + "…" + tail;
  }

  @Override
  public String toString() {
    // Records print every field; a key must never reach a log that way.
    return "LlmKeySpec[id=" + id + ", key=" + masked() + "]";
  }
}
