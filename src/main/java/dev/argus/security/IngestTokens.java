package dev.argus.security;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses producer tokens. The compact form (for {@code ARGUS_INGEST_TOKENS} and {@code http.ingestTokens})
 * is a comma-separated list of entries {@code token[:prefix1|prefix2[:framesPerSecond]]}: an empty or
 * {@code *} prefix list means every camera, an absent or 0 rate means no limit of its own. The file form
 * ({@code http.ingestTokensFile}, YAML or JSON) is a list of objects
 * {@code {token, prefixes: [...], framesPerSecond}}.
 */
public final class IngestTokens {
  /** RFC 6750 token68 characters (minus the separators of the compact form), long enough not to be guessed. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/=-]{8,512}");
  private static final Pattern PREFIX = Pattern.compile("[^\\s:,|]{1,200}");
  public static final int MAX_RATE = 10_000_000;

  private IngestTokens() {}

  /** A token or camera prefix the parser refuses; the message names the entry by position, never the secret. */
  public static final class Invalid extends RuntimeException {
    public Invalid(String message) {
      super(message);
    }
  }

  public static List<IngestToken> parseList(String compact) {
    List<IngestToken> out = new ArrayList<>();
    if (compact == null || compact.isBlank()) return out;
    String[] entries = compact.split("[,\\n]");
    for (int i = 0; i < entries.length; i++) {
      if (!entries[i].isBlank()) out.add(parseEntry(entries[i].trim(), i + 1));
    }
    return checkUnique(out);
  }

  /** One compact entry; {@code position} (1-based) only names it in errors. */
  public static IngestToken parseEntry(String entry, int position) {
    String[] parts = entry.split(":", -1);
    if (parts.length > 3) throw new Invalid("token entry " + position + ": expected token[:prefix|prefix[:framesPerSecond]]");
    List<String> prefixes = parts.length > 1 ? prefixes(parts[1], position) : List.of();
    int rate = parts.length > 2 ? rate(parts[2].trim(), position) : 0;
    return new IngestToken(token(parts[0].trim(), position), prefixes, rate);
  }

  /** The file form: each element a map with {@code token}, optional {@code prefixes} (list) and {@code framesPerSecond}. */
  public static List<IngestToken> fromMaps(List<?> entries) {
    List<IngestToken> out = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      int position = i + 1;
      if (!(entries.get(i) instanceof Map<?, ?> m)) {
        throw new Invalid("token entry " + position + ": expected an object with token, prefixes, framesPerSecond");
      }
      Object t = m.get("token");
      List<String> prefixes = new ArrayList<>();
      Object p = m.get("prefixes");
      if (p instanceof List<?> l) {
        for (Object o : l) prefixes.addAll(prefixes(String.valueOf(o), position));
      } else if (p != null) {
        prefixes.addAll(prefixes(String.valueOf(p), position));
      }
      Object r = m.get("framesPerSecond");
      int rate = r == null ? 0 : rate(String.valueOf(r), position);
      out.add(new IngestToken(token(t == null ? "" : String.valueOf(t), position), prefixes, rate));
    }
    return checkUnique(out);
  }

  private static String token(String t, int position) {
    if (!TOKEN.matcher(t).matches()) {
      throw new Invalid("token entry " + position + ": a token is 8 to 512 characters of A-Z a-z 0-9 . _ ~ + / = -");
    }
    return t;
  }

  private static List<String> prefixes(String s, int position) {
    List<String> out = new ArrayList<>();
    for (String p : s.split("\\|")) {
      String q = p.trim();
      if (q.isEmpty() || q.equals("*")) continue;
      if (!PREFIX.matcher(q).matches()) throw new Invalid("token entry " + position + ": bad camera prefix '" + q + "'");
      out.add(q);
    }
    return out;
  }

  private static int rate(String s, int position) {
    if (s.isEmpty()) return 0;
    try {
      int n = Integer.parseInt(s);
      if (n >= 0 && n <= MAX_RATE) return n;
    } catch (NumberFormatException notANumber) {
      // refused below
    }
    throw new Invalid("token entry " + position + ": framesPerSecond must be an integer from 0 to " + MAX_RATE);
  }

  private static List<IngestToken> checkUnique(List<IngestToken> tokens) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < tokens.size(); i++) {
      if (!seen.add(tokens.get(i).token())) throw new Invalid("token entry " + (i + 1) + " repeats an earlier token");
    }
    return List.copyOf(tokens);
  }
}
