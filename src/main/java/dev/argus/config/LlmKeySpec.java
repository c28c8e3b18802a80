package dev.argus.config;

/**
 * One LLM API key as configured. {@code qpsLimit}/{@code rpmLimit}/{@code tpmLimit} of 0 mean "unknown";
 * {@code baseUrl} and {@code model} of null mean "the provider default". {@code account} names the provider
 * account (organization, project) whose limits the key shares with the account's other keys; null: the key
 * is its own account.
 */
public record LlmKeySpec(String id, String secret, int priority, double qpsLimit, int rpmLimit,
                         int weight, String baseUrl, String model, String account, long tpmLimit) {

  public LlmKeySpec(String id, String secret, int priority, double qpsLimit, int rpmLimit, int weight, String baseUrl,
                    String model) {
    this(id, secret, priority, qpsLimit, rpmLimit, weight, baseUrl, model, null, 0);
  }

  /** The account the key counts against: the named one, else the key itself. */
  public String accountName() {
    return account != null ? account : id;
  }

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
