package org.semanticranking.ranking.store;

import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.semanticranking.common.LocalIndicesRequest;
import org.semanticranking.ranking.model.Ranker;

/**
 * Loads a ranker on the coordinating node for a {@code learned_rank} rescorer's rewrite ({@link
 * TransportLoadRankerAction}). An index action over the searched indices: whoever may search them may run it; the read
 * of the rankers index inside runs with the caller's own privileges.
 */
public final class LoadRankerAction {

    public static final String NAME = "indices:data/read/semantic_ranking/load_ranker";
    public static final ActionType<Response> INSTANCE = new ActionType<>(NAME);

    private LoadRankerAction() {}

    /** @param rankersIndex {@code null} for the node's setting */
    public static final class Request extends LocalIndicesRequest {
        private final String rankerId;
        private final String rankersIndex;

        public Request(String[] searched, String rankerId, String rankersIndex) {
            super(searched);
            this.rankerId = rankerId;
            this.rankersIndex = rankersIndex;
        }

        public String rankerId() {
            return rankerId;
        }

        public String rankersIndex() {
            return rankersIndex;
        }
    }

    public static final class Response extends ActionResponse {
        private final Ranker ranker;

        public Response(Ranker ranker) {
            this.ranker = ranker;
        }

        public Ranker ranker() {
            return ranker;
        }

        @Override
        public void writeTo(StreamOutput out) {
            TransportAction.localOnly();
        }
    }
}
