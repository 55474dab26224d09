package org.semanticranking.evaluation;

import java.util.Map;

/** One request of an evaluation: its id, the values of the template's placeholders, and its graded documents. */
public record JudgedRequest(String id, Map<String, Object> params, Map<String, Integer> ratings) {}
