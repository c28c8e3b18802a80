package dev.argus.http;

import dev.argus.aggregate.ResultStore.AlertCursor;
import dev.argus.aggregate.ResultStore.HistoryCursor;
import dev.argus.model.Alert;
import dev.argus.model.Times;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The query parameters of the read API, checked before the store is asked, so a malformed one is
 * always the client's 400 and never a store error. An empty parameter counts as absent.
 */
final class ReadQuery {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 1000;
  static final List<String> STATUSES = List.of(Alert.OPEN, Alert.UPDATED, Alert.ESCALATED, Alert.RESOLVED);
  private static final Pattern EPOCH_MS = Pattern.compile("\\d{1,18}");

  private ReadQuery() {}

  /** A parameter the API refuses; the message says what is accepted. */
  public static final class Invalid extends Exception {
    Invalid(String message) {
      super(message);
    }
  }

  /** {@code GET /api/v1/cameras/{id}/history?limit=&before=} */
  public record History(int limit, HistoryCursor before) {}

  /** {@code GET /api/v1/alerts?status=&since=&limit=&cursor=}; status, since and cursor may be null. */
  public record Alerts(String status, Long sinceMs, int limit, AlertCursor cursor) {}

  /** @param param a request parameter by name, null when absent */
  public static History history(Function<String, String> param) throws Invalid {
    int limit = limit(param.apply("limit"));
    try {
      return new History(limit, HistoryCursor.parse(param.apply("before")));
    } catch (IllegalArgumentException e) {
      throw new Invalid("before must be the 'next' cursor of a previous page");
    }
  }

  public static Alerts alerts(Function<String, String> param) throws Invalid {
    int limit = limit(param.apply("limit"));
    String status = status(param.apply("status"));
    Long since = since(param.apply("since"));
    try {
      return new Alerts(status, since, limit, AlertCursor.parse(param.apply("cursor")));
    } catch (IllegalArgumentException e) {
      throw new Invalid("cursor must be the 'next' cursor of a previous page");
    }
  }

  static int limit(String s) throws Invalid {
    if (s == null || s.isEmpty()) return DEFAULT_LIMIT;
    try {
      int n = Integer.parseInt(s);
      if (n >= 1 && n <= MAX_LIMIT) return n;
    } catch (NumberFormatException notANumber) {
      // refused below, like an out-of-range number
    }
    throw new Invalid("limit must be an integer from 1 to " + MAX_LIMIT);
  }

  static String status(String s) throws Invalid {
    if (s == null || s.isEmpty()) return null;
    if (!STATUSES.contains(s)) throw new Invalid("status must be one of " + String.join(", ", STATUSES));
    return s;
  }

  static Long since(String s) throws Invalid {
    if (s == null || s.isEmpty()) return null;
    try {
      return EPOCH_MS.matcher(s).matches() ? Long.valueOf(s) : Long.valueOf(Times.parse(s));
    } catch (RuntimeException e) {
      throw new Invalid("since must be ISO-8601 or epoch milliseconds");
    }
  }
}
