package dev.argus.llm;

import dev.argus.model.RiskLevel;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the assessment out of a model's text the way models actually write it: bare JSON, JSON in a
 * code fence, JSON with prose around it, numbers as strings. What cannot be read as
 * {@code {risk_level, risk_score, summary, recommendations}} with values in range is an
 * {@link InvalidReplyException}: never a made-up assessment.
 */
public final class ReplyParser {
  private ReplyParser() {}

  public static ParsedReply parse(String content) {
    if (content == null || content.isBlank()) throw new InvalidReplyException("empty reply");
    JsonObject o = firstJsonObject(content);
    if (o == null) throw new InvalidReplyException("no JSON object in the reply");
    RiskLevel level = RiskLevel.parse(o.getValue("risk_level") instanceof String s ? s : null);
    Double score = number(o.getValue("risk_score"));
    if (score != null && !(score >= 0 && score <= 1)) {
      throw new InvalidReplyException("risk_score out of range [0,1]: " + o.getValue("risk_score"));
    }
    if (level == null && score == null) throw new InvalidReplyException("neither risk_level nor risk_score is usable");
    if (o.getValue("risk_level") != null && level == null) {
      throw new InvalidReplyException("unknown risk_level: " + o.getValue("risk_level"));
    }
    if (level == null) level = RiskLevel.fromScore(score);
    if (score == null) score = midpoint(level);
    Object summary = o.getValue("summary");
    if (!(summary instanceof String text) || text.isBlank()) throw new InvalidReplyException("summary missing or not a string");
    return new ParsedReply(level, score, text.trim(), recommendations(o.getValue("recommendations")));
  }

  private static double midpoint(RiskLevel level) {
    return switch (level) {
      case LOW -> 0.15;
      case MEDIUM -> 0.45;
      case HIGH -> 0.72;
      case CRITICAL -> 0.92;
      case PREDICTED -> 0.72; // never a reply's level: RiskLevel.parse refuses it
    };
  }

  private static Double number(Object v) {
    if (v instanceof Number n) return n.doubleValue();
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        throw new InvalidReplyException("risk_score is not a number: " + s);
      }
    }
    if (v != null) throw new InvalidReplyException("risk_score is not a number: " + v);
    return null;
  }

  private static List<String> recommendations(Object v) {
    List<String> out = new ArrayList<>();
    if (v instanceof JsonArray a) {
      for (Object item : a) if (item != null && !item.toString().isBlank()) out.add(item.toString().trim());
    } else if (v instanceof String s && !s.isBlank()) {
      out.add(s.trim());
    }
    return out;
  }

  /** The first balanced {...} in the text that parses as a JSON object (fences and prose skipped). */
  static JsonObject firstJsonObject(String text) {
    for (int start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
      int end = matchingBrace(text, start);
      if (end < 0) return null;
      try {
        return new JsonObject(text.substring(start, end + 1));
      } catch (DecodeException e) {
        // not JSON after all (prose with braces): try the next opening brace
      }
    }
    return null;
  }

  private static int matchingBrace(String s, int start) {
    int depth = 0;
    boolean inString = false;
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (inString) {
        if (c == '\\') i++;
        else if (c == '"') inString = false;
      } else if (c == '"') {
        inString = true;
      } else if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }
}
