package dev.argus.demo.provider;

import io.vertx.core.json.JsonObject;

import java.util.Locale;

/**
 * One limit as configured, e.g. {@code {"type":"token_bucket","capacity":10,"perSecond":10}}; builds a
 * fresh {@link Limit} for each key or account it applies to. Types: {@code token_bucket} (capacity,
 * perSecond or perMinute), {@code fixed_window} and {@code sliding_window} (limit, windowMs),
 * {@code concurrency} (max), {@code quota} (total), {@code slow_down} (floor, growth); {@code unit} is
 * {@code requests} (default) or {@code tokens}.
 */
public record LimitSpec(String type, Unit unit, long amount, double perSecond, long windowMs, double growth) {

  public static LimitSpec parse(JsonObject j, String where) {
    String type = j.getString("type", "");
    Unit unit = switch (j.getString("unit", "requests").toLowerCase(Locale.ROOT)) {
      case "requests" -> Unit.REQUESTS;
      case "tokens" -> Unit.TOKENS;
      default -> throw bad(where, "unit must be requests or tokens");
    };
    return switch (type) {
      case "token_bucket" -> {
        double rate = j.containsKey("perMinute") ? number(j, "perMinute", where) / 60.0 : number(j, "perSecond", where);
        if (rate <= 0) throw bad(where, "perSecond/perMinute must be > 0");
        yield new LimitSpec(type, unit, atLeast1(j, "capacity", where), rate, 0, 0);
      }
      case "fixed_window", "sliding_window" ->
          new LimitSpec(type, unit, atLeast1(j, "limit", where), 0, atLeast1(j, "windowMs", where), 0);
      case "concurrency" -> new LimitSpec(type, unit, atLeast1(j, "max", where), 0, 0, 0);
      case "quota" -> new LimitSpec(type, unit, (long) number(j, "total", where), 0, 0, 0);
      case "slow_down" -> new LimitSpec(type, unit, atLeast1(j, "floor", where), 0, 0,
          Math.max(1, j.getDouble("growth", 2.0)));
      default -> throw bad(where, "unknown limit type '" + type
          + "' (token_bucket, fixed_window, sliding_window, concurrency, quota, slow_down)");
    };
  }

  public Limit build(ProviderClock clock) {
    return switch (type) {
      case "token_bucket" -> new TokenBucket(unit, amount, perSecond, clock);
      case "fixed_window" -> new FixedWindow(unit, amount, windowMs * 1_000_000L, clock);
      case "sliding_window" -> new SlidingWindow(unit, amount, windowMs * 1_000_000L, clock);
      case "concurrency" -> new ConcurrencyCap((int) amount);
      case "quota" -> new Quota(unit, amount);
      case "slow_down" -> new RampGuard(amount, growth, clock);
      default -> throw new IllegalStateException(type);
    };
  }

  private static double number(JsonObject j, String field, String where) {
    Object v = j.getValue(field);
    if (!(v instanceof Number n) || n.doubleValue() < 0) throw bad(where, field + " must be a non-negative number, got " + v);
    return n.doubleValue();
  }

  private static long atLeast1(JsonObject j, String field, String where) {
    double d = number(j, field, where);
    if (d < 1) throw bad(where, field + " must be >= 1, got " + d);
    return (long) d;
  }

  private static IllegalArgumentException bad(String where, String why) {
    return new IllegalArgumentException(where + ": " + why);
  }
}
