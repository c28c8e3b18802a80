package dev.argus.security;

import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The id of each request ({@code X-Request-Id}): a caller's own id is kept when it is short and plain
 * (so it can be logged and echoed without risk of log injection), otherwise a new one is made.
 */
public final class RequestIds {
  public static final String HEADER = "X-Request-Id";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private final Supplier<String> generator;

  /** @param generator makes a fresh id (random in production, predictable in tests) */
  public RequestIds(Supplier<String> generator) {
    this.generator = generator;
  }

  public static boolean sane(String id) {
    return id != null && SANE.matcher(id).matches();
  }

  public String idFor(String incoming) {
    return sane(incoming) ? incoming : generator.get();
  }
}
