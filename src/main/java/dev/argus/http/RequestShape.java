package dev.argus.http;

import io.vertx.ext.web.RoutingContext;

/**
 * Before any route is matched: a path or query string with broken percent-encoding ({@code %zz}, a
 * lone {@code %}) or a Content-Type the router cannot parse (an unclosed quote) is the client's 400.
 * Left to the router, these throw while routes are matched, and come out as a bare "Bad Request" or a 500.
 */
final class RequestShape {
  private final Replies replies;

  RequestShape(Replies replies) {
    this.replies = replies;
  }

  void check(RoutingContext ctx) {
    String problem = problem(ctx);
    if (problem == null) ctx.next();
    else replies.error(ctx, ErrorCode.VALIDATION_FAILED, problem);
  }

  /** What is wrong with the request's target or media type, or null. */
  static String problem(RoutingContext ctx) {
    try {
      ctx.normalizedPath();
    } catch (RuntimeException e) {
      return "the path has a malformed percent-encoding (a % must be followed by two hex digits)";
    }
    try {
      ctx.request().params();
    } catch (RuntimeException e) {
      return "the query string has a malformed percent-encoding (a % must be followed by two hex digits)";
    }
    String type = ctx.request().getHeader("Content-Type");
    if (type != null && !quotesBalanced(type)) return "the Content-Type header is malformed (an unclosed quote)";
    try {
      if (type != null) ctx.parsedHeaders().contentType().parameters();
    } catch (RuntimeException e) {
      return "the Content-Type header is malformed";
    }
    return null;
  }

  /** Quoted parameter values must close: {@code boundary="} makes the router's media-type parser fail. */
  static boolean quotesBalanced(String header) {
    boolean open = false;
    for (int i = 0; i < header.length(); i++) {
      char c = header.charAt(i);
      if (c == '\\' && open) i++;
      else if (c == '"') open = !open;
    }
    return !open;
  }
}
