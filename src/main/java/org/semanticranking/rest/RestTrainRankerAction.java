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
import org.semanticranking.ranking.action.TrainRankerAction;
import org.semanticranking.ranking.training.TrainingRequest;

import java.io.IOException;
import java.util.List;

import static org.elasticsearch.rest.RestRequest.Method.POST;

/**
 * {@code POST <index>/_semantic_ranking/rankers/<ranker_id>/_train}, and with {@code wait_for_completion=false} a task
 * id to follow in {@code _tasks}.
 */
public final class RestTrainRankerAction extends BaseRestHandler {

    @Override
    public String getName() {
        return "semantic_ranking_train_ranker";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(POST, "/{index}/_semantic_ranking/rankers/{ranker_id}/_train"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        boolean wait = request.paramAsBoolean("wait_for_completion", true);
        // the body is checked here: a 400 before any search
        TrainingRequest training = TrainingRequest.parse(request.param("ranker_id"), RestBodies.required(request));
        TrainRankerAction.Request train = new TrainRankerAction.Request(
                Strings.splitStringByCommaToArray(request.param("index")), training, wait == false);
        if (wait) {
            return channel -> new RestCancellableNodeClient(client, request.getHttpChannel())
                    .execute(TrainRankerAction.INSTANCE, train, new RestToXContentListener<>(channel));
        }
        return channel -> {
            Task task = client.executeLocally(TrainRankerAction.INSTANCE, train, ActionListener.noop());
            try (XContentBuilder builder = channel.newBuilder()) {
                builder.startObject()
                        .field("task", client.getLocalNodeId() + ":" + task.getId())
                        .endObject();
                channel.sendResponse(new RestResponse(RestStatus.OK, builder));
            }
        };
    }
}
