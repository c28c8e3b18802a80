package dev.argus.http;

import dev.argus.model.BusAddresses;
import dev.argus.security.AdminAccess;
import dev.argus.security.Bearer;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The LLM key pool over HTTP: {@code GET /api/v1/llm/keys} and the operator's switch
 * {@code POST /api/v1/llm/keys/{id}/enable|disable} (Bearer admin token when one is set, else loopback
 * clients only: see {@link AdminAccess}). The dispatcher answers on the local event bus. In cluster mode the
 * node's dispatcher shares a switch with every node and answers with the cluster's view of the pool
 * ({@code dev.argus.llm.cluster.ClusterView}), so any node's API shows and switches the one pool.
 */
final class KeyAdminRoutes {
  private static final long DISPATCHER_TIMEOUT_MS = 2000;

  private final Vertx vertx;
  private final AdminAccess access;
  private final Replies replies;

  KeyAdminRoutes(Vertx vertx, AdminAccess access, Replies replies) {
    this.vertx = vertx;
    this.access = access;
    this.replies = replies;
  }

  void mount(Router router) {
    router.get("/api/v1/llm/keys").handler(ctx -> ask(ctx, new JsonObject().put("action", "list")));
    router.post("/api/v1/llm/keys/:id/:action").handler(this::switchKey);
  }

  private void switchKey(RoutingContext ctx) {
    String action = ctx.pathParam("action");
    if (!action.equals("enable") && !action.equals("disable")) {
      replies.error(ctx, ErrorCode.NOT_FOUND, "no such action '" + action + "': use enable or disable");
    } else if (adminAllowed(ctx)) {
      ask(ctx, new JsonObject().put("action", action).put("id", ctx.pathParam("id"))
          .put("reason", "disabled by an operator through the API"));
    }
  }

  /** Answers the refusal itself when the client may not use the admin endpoints (replay uses it too). */
  boolean adminAllowed(RoutingContext ctx) {
    String client = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    switch (access.judge(Bearer.token(ctx.request().getHeader("Authorization")), client)) {
      case ALLOWED:
        return true;
      case UNAUTHORIZED:
        replies.error(ctx, ErrorCode.UNAUTHORIZED, "send Authorization: Bearer <http.adminToken>");
        return false;
      default:
        replies.error(ctx, ErrorCode.FORBIDDEN, "admin endpoints answer only clients on this machine while no admin "
            + "token is set; set http.adminToken (env ARGUS_ADMIN_TOKEN) and send Authorization: Bearer <token>");
        return false;
    }
  }

  private void ask(RoutingContext ctx, JsonObject command) {
    vertx.eventBus().<JsonObject>request(BusAddresses.INTERNAL_LLM_ADMIN, command,
        new DeliveryOptions().setSendTimeout(DISPATCHER_TIMEOUT_MS).setLocalOnly(true)).onComplete(ar -> {
      if (ar.succeeded()) {
        replies.json(ctx, 200, ar.result().body());
      } else if (ar.cause() instanceof ReplyException re && re.failureCode() == 404) {
        replies.error(ctx, ErrorCode.NOT_FOUND, re.getMessage());
      } else {
        replies.error(ctx, ErrorCode.OVERLOADED, "the LLM dispatcher did not answer: " + ar.cause().getMessage());
      }
    });
  }
}
