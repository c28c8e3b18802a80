package dev.argus.http;

import dev.argus.aggregate.ResultStore;
import dev.argus.feedback.Verdict;
import dev.argus.model.BusAddresses;
import dev.argus.model.RiskLevel;
import dev.argus.model.Times;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * {@code POST /api/v1/assessments/{task_id}/feedback {"risk_level", "note"?}}: an operator's verdict on
 * a stored assessment ({@code risk_level} is a level or {@code none} for a false alarm). Stored, then
 * handed to the feedback meters; answers 201 with the verdict and its agreement, 404 for an unknown task.
 * {@code GET /api/v1/feedback/models}: the meters' summary, agreement by model (viewer token when set).
 */
final class FeedbackRoutes {
  static final int MAX_NOTE = 1000;
  private static final int BODY_LIMIT = 8192;

  private final Vertx vertx;
  private final ResultStore store;
  private final Replies replies;

  FeedbackRoutes(Vertx vertx, ResultStore store, Replies replies) {
    this.vertx = vertx;
    this.store = store;
    this.replies = replies;
  }

  void mount(Router router) {
    router.post("/api/v1/assessments/:task_id/feedback").handler(BodyHandler.create().setBodyLimit(BODY_LIMIT))
        .handler(this::feedback);
    router.get(MODELS_PATH).handler(this::models);
  }

  static final String MODELS_PATH = "/api/v1/feedback/models";

  /** {@code {"at", "models": {model: {"verdicts", "agreement", "agreement_rate", "mean_absolute_error"}}}}, this node's meters. */
  private void models(RoutingContext ctx) {
    vertx.eventBus().<JsonObject>request(BusAddresses.INTERNAL_MODEL_METRICS, null).onComplete(ar -> {
      if (ar.succeeded()) replies.json(ctx, 200, ar.result().body());
      else replies.error(ctx, ErrorCode.NOT_FOUND, "the feedback meters do not run on this node");
    });
  }

  private void feedback(RoutingContext ctx) {
    String taskId = ctx.pathParam("task_id");
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      body = null;
    }
    if (body == null) {
      replies.error(ctx, ErrorCode.VALIDATION_FAILED, "send a JSON object {\"risk_level\", \"note\"?}");
      return;
    }
    String level = body.getValue("risk_level") instanceof String s ? Verdict.parseOperatorLevel(s) : null;
    Object note = body.getValue("note");
    if (level == null) {
      replies.error(ctx, ErrorCode.VALIDATION_FAILED, "risk_level must be low, medium, high, critical or none (a false alarm)");
      return;
    }
    if (note != null && (!(note instanceof String n) || n.length() > MAX_NOTE)) {
      replies.error(ctx, ErrorCode.VALIDATION_FAILED, "note must be a string of at most " + MAX_NOTE + " characters");
      return;
    }
    store.assessment(taskId).onComplete(ar -> {
      if (ar.failed()) {
        replies.error(ctx, ErrorCode.STORE_UNAVAILABLE, "the result store did not answer: " + ar.cause().getMessage());
      } else if (ar.result() == null) {
        replies.error(ctx, ErrorCode.NOT_FOUND, "no stored assessment with task id '" + taskId + "'");
      } else {
        save(ctx, taskId, ar.result(), level, (String) note);
      }
    });
  }

  private void save(RoutingContext ctx, String taskId, JsonObject assessment, String level, String note) {
    RiskLevel assessed = RiskLevel.parse(assessment.getString("risk_level"));
    double score = assessment.getDouble("risk_score", 0.0);
    Verdict v = new Verdict(assessed == null ? RiskLevel.LOW : assessed, score, level);
    String model = assessment.getString("model", assessment.getString("source", "unknown"));
    JsonObject stored = new JsonObject().put("task_id", taskId).put("camera_id", assessment.getString("camera_id"))
        .put("risk_level", level).put("assessed_level", v.assessed().wire()).put("risk_score", score)
        .put("model", model).put("agreement", v.agreement()).put("at", Times.iso(System.currentTimeMillis()));
    if (note != null) stored.put("note", note);
    store.saveFeedback(taskId, stored).onComplete(ar -> {
      if (ar.failed()) {
        replies.error(ctx, ErrorCode.STORE_UNAVAILABLE, "the result store did not answer: " + ar.cause().getMessage());
        return;
      }
      vertx.eventBus().send(BusAddresses.INTERNAL_FEEDBACK, new JsonObject().put("model", model)
          .put("assessed", v.assessed().wire()).put("risk_score", score).put("operator", level));
      replies.json(ctx, 201, stored);
    });
  }
}
