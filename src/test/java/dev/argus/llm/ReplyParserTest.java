package dev.argus.llm;

import dev.argus.model.RiskLevel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ReplyParserTest {

  @Test
  void readsBareJson() {
    ParsedReply r = ReplyParser.parse("{\"risk_level\":\"high\",\"risk_score\":0.8,\"summary\":\"A knife.\",\"recommendations\":[\"Call security\"]}");
    assertEquals(RiskLevel.HIGH, r.level());
    assertEquals(0.8, r.score());
    assertEquals(List.of("Call security"), r.recommendations());
  }

  @Test
  void readsJsonInsideACodeFence() {
    ParsedReply r = ReplyParser.parse("```json\n{\"risk_level\":\"LOW\",\"risk_score\":0.1,\"summary\":\"Quiet.\"}\n```");
    assertEquals(RiskLevel.LOW, r.level());
  }

  @Test
  void readsJsonWrappedInProseWithBracesInStrings() {
    ParsedReply r = ReplyParser.parse("Sure {not json}. Here: {\"risk_level\":\"medium\",\"risk_score\":\"0.5\","
        + "\"summary\":\"Crowd {dense}\"} hope it helps");
    assertEquals(RiskLevel.MEDIUM, r.level());
    assertEquals(0.5, r.score());
    assertEquals("Crowd {dense}", r.summary());
  }

  @Test
  void derivesTheLevelFromTheScoreWhenOnlyTheScoreIsGiven() {
    assertEquals(RiskLevel.CRITICAL, ReplyParser.parse("{\"risk_score\":0.95,\"summary\":\"Fire.\"}").level());
  }

  @Test
  void refusesWhatIsNotAnAssessment() {
    for (String bad : List.of("", "I cannot help with that.", "{\"risk_level\":\"high\"}",
        "{\"risk_level\":\"extreme\",\"risk_score\":0.5,\"summary\":\"x\"}",
        "{\"risk_level\":\"high\",\"risk_score\":1.7,\"summary\":\"x\"}",
        "{\"risk_level\":\"high\",\"risk_score\":\"lots\",\"summary\":\"x\"}",
        "{\"summary\":\"no level nor score\"}", "{\"risk_level\":\"high\",\"summary\":42}")) {
      assertThrows(InvalidReplyException.class, () -> ReplyParser.parse(bad), bad);
    }
  }
}
