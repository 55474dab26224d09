package org.semanticranking.evaluation.action;

import org.semanticranking.evaluation.JudgmentCandidates;

/** The indices and the body of {@code _judgment_candidates}, read and checked. */
public final class JudgmentCandidatesRequest extends EvaluationActionRequest {

    private final JudgmentCandidates.Spec spec;

    public JudgmentCandidatesRequest(String[] indices, JudgmentCandidates.Spec spec) {
        super(indices);
        this.spec = spec;
    }

    public JudgmentCandidates.Spec spec() {
        return spec;
    }

    @Override
    String description() {
        return "judgment candidates";
    }
}
