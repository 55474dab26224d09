package org.semanticranking.evaluation.action;

import org.semanticranking.evaluation.EvaluationRequest;

/** The indices and the body of {@code _evaluate}, read and checked. */
public final class EvaluateRequest extends EvaluationActionRequest {

    private final EvaluationRequest evaluation;

    public EvaluateRequest(String[] indices, EvaluationRequest evaluation) {
        super(indices);
        this.evaluation = evaluation;
    }

    public EvaluationRequest evaluation() {
        return evaluation;
    }

    @Override
    String description() {
        return "evaluate";
    }
}
