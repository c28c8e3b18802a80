package dev.argus.security;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether an address is this machine's loopback. Only literal addresses are judged (never a DNS lookup):
 * a client address comes from the socket, and a listen host that is a name counts as beyond loopback
 * unless it is {@code localhost}.
 */
public final class Loopback {
  private static final Pattern V4_LOOPBACK = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

  private Loopback() {}

  public static boolean isLoopback(String address) {
    if (address == null) return false;
    String a = address.trim().toLowerCase(Locale.ROOT);
    if (a.startsWith("[") && a.endsWith("]")) a = a.substring(1, a.length() - 1);
    if (V4_LOOPBACK.matcher(a).matches()) return true;
    if (a.equals("::1") || a.equals("0:0:0:0:0:0:0:1")) return true;
    // IPv4-mapped IPv6 (a dual-stack socket reports 127.0.0.1 this way)
    for (String mapped : new String[] {"::ffff:", "0:0:0:0:0:ffff:"}) {
      if (a.startsWith(mapped) && V4_LOOPBACK.matcher(a.substring(mapped.length())).matches()) return true;
    }
    return false;
  }

  /** Whether a server bound to {@code host} can be reached from other machines. */
  public static boolean listensBeyondLoopback(String host) {
    if (host == null) return true;
    String h = host.trim().toLowerCase(Locale.ROOT);
    return !(h.equals("localhost") || isLoopback(h));
  }
}
