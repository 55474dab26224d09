package org.semanticranking.rest;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.common.Strings;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.rest.action.RestCancellableNodeClient;
import org.elasticsearch.rest.action.RestToXContentListener;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.xcontent.XContentBuilder;
import org.semanticranking.evaluation.EvaluationRequest;
import org.semanticranking.evaluation.Tuner;
import org.semanticranking.evaluation.action.TuneAction;
import org.semanticranking.evaluation.action.TuneRequest;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.elasticsearch.rest.RestRequest.Method.POST;

/** {@code POST <index>/_semantic_ranking/_tune}, and with {@code wait_for_completion=false} a task id to follow in {@code _tasks}. */
public final class RestTuneAction extends BaseRestHandler {

    @Override
    public String getName() {
        return "semantic_ranking_tune";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(POST, "/{index}/_semantic_ranking/_tune"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        boolean wait = request.paramAsBoolean("wait_for_completion", true);
        Map<String, Object> body = RestBodies.required(request);
        // the evaluation and the parameter space are checked here: a 400 before any search
        EvaluationRequest evaluation = EvaluationRequest.parse("_tune", body, Tuner.OPTION_NAMES);
        TuneRequest tune = new TuneRequest(
                Strings.splitStringByCommaToArray(request.param("index")),
                evaluation,
                Tuner.Options.parse(body, evaluation),
                wait == false);
        if (wait) {
            return channel -> new RestCancellableNodeClient(client, request.getHttpChannel())
                    .execute(TuneAction.INSTANCE, tune, new RestToXContentListener<>(channel));
        }
        return channel -> {
            Task task = client.executeLocally(TuneAction.INSTANCE, tune, ActionListener.noop());
            try (XContentBuilder builder = channel.newBuilder()) {
                builder.startObject()
                        .field("task", client.getLocalNodeId() + ":" + task.getId())
                        .endObject();
                channel.sendResponse(new RestResponse(RestStatus.OK, builder));
            }
        };
    }
}
