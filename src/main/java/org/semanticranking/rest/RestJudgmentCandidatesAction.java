package org.semanticranking.rest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.common.Strings;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestCancellableNodeClient;
import org.elasticsearch.rest.action.RestToXContentListener;
import org.semanticranking.evaluation.JudgmentCandidates;
import org.semanticranking.evaluation.action.JudgmentCandidatesAction;
import org.semanticranking.evaluation.action.JudgmentCandidatesRequest;

import java.io.IOException;
import java.util.List;

import static org.elasticsearch.rest.RestRequest.Method.POST;

/** {@code POST <index>/_semantic_ranking/_judgment_candidates}. */
public final class RestJudgmentCandidatesAction extends BaseRestHandler {

    @Override
    public String getName() {
        return "semantic_ranking_judgment_candidates";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(POST, "/{index}/_semantic_ranking/_judgment_candidates"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        JudgmentCandidatesRequest candidates = new JudgmentCandidatesRequest(
                Strings.splitStringByCommaToArray(request.param("index")),
                JudgmentCandidates.Spec.parse(RestBodies.required(request)));
        return channel -> new RestCancellableNodeClient(client, request.getHttpChannel())
                .execute(JudgmentCandidatesAction.INSTANCE, candidates, new RestToXContentListener<>(channel));
    }
}
