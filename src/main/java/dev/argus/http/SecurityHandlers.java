package dev.argus.http;

import dev.argus.security.Bearer;
import dev.argus.security.RequestIds;
import dev.argus.security.Secrets;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;

/**
 * What every request goes through first: its id ({@code X-Request-Id}), the page's protective headers,
 * and, when a viewer token is set, the check on everything that shows data (read API, key list,
 * event-bus bridge, and {@code /metrics} unless it is public). The page's static files hold no data and
 * stay public, so the page can load and ask for the token.
 */
final class SecurityHandlers {
  static final String REQUEST_ID = "argus.requestId";
  /** Browsers cannot set headers on WebSocket and SockJS connections: they send the token as this query parameter. */
  static final String TOKEN_PARAM = "access_token";
  /**
   * No inline scripts at all; inline styles are allowed because uPlot and the page's modules set element
   * styles (sizes, colours) from script. Frames and plugins are off; the page may not be framed.
   */
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
      + "frame-ancestors 'none'";

  private final RequestIds ids;
  private final String viewerToken;
  private final String adminToken;
  private final boolean metricsPublic;
  private final Replies replies;

  SecurityHandlers(RequestIds ids, String viewerToken, String adminToken, boolean metricsPublic, Replies replies) {
    this.ids = ids;
    this.viewerToken = viewerToken;
    this.adminToken = adminToken;
    this.metricsPublic = metricsPublic;
    this.replies = replies;
  }

  /** The request's id, or null for a context that never went through {@link #mount}. */
  static String requestId(RoutingContext ctx) {
    return ctx.get(REQUEST_ID);
  }

  /** The credential of a request: its Bearer header, else the {@code access_token} query parameter. */
  static String presentedToken(RoutingContext ctx) {
    String t = Bearer.token(ctx.request().getHeader("Authorization"));
    return t != null ? t : ctx.request().getParam(TOKEN_PARAM);
  }

  /** Mounted before every route group. */
  void mount(Router router) {
    router.route().handler(this::identifyAndProtect);
    router.route().handler(new RequestShape(replies)::check);
    if (viewerToken.isEmpty()) return;
    for (String path : viewerPaths()) router.route(path).handler(this::requireViewer);
    // The key list is read API too; its path's POSTs are the admin switch, which checks the admin token.
    router.get("/api/v1/llm/keys").handler(this::requireViewer);
  }

  private List<String> viewerPaths() {
    List<String> paths = new ArrayList<>(List.of("/api/v1/cameras*", "/api/v1/alerts*", "/eventbus*",
        "/api/v1/cluster"));
    paths.add("/api/v1/feedback*");
    if (!metricsPublic) paths.add("/metrics");
    return paths;
  }

  private void identifyAndProtect(RoutingContext ctx) {
    String id = ids.idFor(ctx.request().getHeader(RequestIds.HEADER));
    ctx.put(REQUEST_ID, id);
    HttpServerResponse r = ctx.response();
    r.putHeader(RequestIds.HEADER, id)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Frame-Options", "DENY");
    ctx.next();
  }

  void requireViewer(RoutingContext ctx) {
    String presented = presentedToken(ctx);
    // The admin token reads too: an operator need not hold two tokens.
    if (Secrets.same(presented, viewerToken) || (!adminToken.isEmpty() && Secrets.same(presented, adminToken))) {
      ctx.next();
    } else {
      replies.error(ctx, ErrorCode.UNAUTHORIZED, "this resource needs the viewer token: send Authorization: Bearer <token>"
          + " (or ?" + TOKEN_PARAM + "=<token> where headers cannot be set)");
    }
  }

  boolean viewerRequired() {
    return !viewerToken.isEmpty();
  }
}
