package org.semanticranking.personalization.action;

import org.semanticranking.personalization.profile.LearningRequest;

/** The body of {@code profiles/_build}, read and checked. */
public final class BuildProfilesRequest extends LearningJobRequest {

    public BuildProfilesRequest(LearningRequest learning) {
        super(learning);
    }

    @Override
    String description() {
        return "build profiles";
    }
}
