package dev.argus.config;

/**
 * One LLM API key as configured. {@code qpsLimit}/{@code rpmLimit}/{@code tpmLimit} of 0 mean "unknown";
 * {@code baseUrl} and {@code model} of null mean "the provider default". {@code account} names the provider
 * account (organization, project) whose limits the key shares with the account's other keys; null: the key
 * is its own account. {@code accountLimits}: that account's own declared limits (the key file's {@code accounts:}
 * section), the same object on every key of the account; null when the account declares none.
 */
public record LlmKeySpec(String id, String secret, int priority, double qpsLimit, int rpmLimit,
                         int weight, String baseUrl, String model, String account, long tpmLimit,
                         LlmAccountSpec accountLimits) {

  public LlmKeySpec(String id, String secret, int priority, double qpsLimit, int rpmLimit, int weight, String baseUrl,
                    String model, String account, long tpmLimit) {
    this(id, secret, priority, qpsLimit, rpmLimit, weight, baseUrl, model, account, tpmLimit, null);
  }

  public LlmKeySpec(String id, String secret, int priority, double qpsLimit, int rpmLimit, int weight, String baseUrl,
                    String model) {
    this(id, secret, priority, qpsLimit, rpmLimit, weight, baseUrl, model, null, 0, null);
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
