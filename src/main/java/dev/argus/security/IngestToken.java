package dev.argus.security;

import java.util.List;

/**
 * One producer token: what it may post for, and how fast.
 *
 * @param prefixes camera-id prefixes the token may post for; empty means every camera
 * @param framesPerSecond its own rate limit in frames per second; 0 means none (the global limits still apply)
 */
public record IngestToken(String token, List<String> prefixes, int framesPerSecond) {
  public IngestToken {
    prefixes = List.copyOf(prefixes);
  }

  public boolean allows(String cameraId) {
    if (prefixes.isEmpty()) return true;
    for (String p : prefixes) {
      if (cameraId.startsWith(p)) return true;
    }
    return false;
  }

  /** The token as it may appear in logs and replies: never the secret itself. */
  public String masked() {
    return Secrets.mask(token);
  }

  @Override
  public String toString() {
    return "IngestToken[" + masked() + ", prefixes=" + prefixes + ", framesPerSecond=" + framesPerSecond + "]";
  }
}
