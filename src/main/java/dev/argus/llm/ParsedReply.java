package dev.argus.llm;

import dev.argus.model.RiskLevel;

import java.util.List;

/** The assessment a model returned, checked: level, score in [0,1], a summary, recommendations. */
public record ParsedReply(RiskLevel level, double score, String summary, List<String> recommendations) {}
