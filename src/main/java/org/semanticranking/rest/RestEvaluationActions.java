package org.semanticranking.rest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.common.Strings;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestCancellableNodeClient;
import org.elasticsearch.rest.action.RestToXContentListener;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.List;

import static org.elasticsearch.rest.RestRequest.Method.POST;
import org.semanticranking.common.LocalResponse;
import org.semanticranking.evaluation.action.EvaluationActions;

/** {@code POST <index>/_semantic_ranking/_evaluate}. */
public final class RestEvaluationActions {

    private RestEvaluationActions() {}

    public static List<BaseRestHandler> all() {
        return List.of(new Evaluate(), new Tune(), new Simple("judgment_candidates", EvaluationActions.JUDGMENT_CANDIDATES));
    }

    /** {@code POST <index>/_semantic_ranking/_tune}, and with {@code wait_for_completion=false} a task id to follow in {@code _tasks}. */
    static final class Tune extends BaseRestHandler {
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
            EvaluationActions.TuneRequest r = new EvaluationActions.TuneRequest(
                Strings.splitStringByCommaToArray(request.param("index")),
                RestLearningActions.body(request),
                wait == false
            );
            if (wait) {
                return channel -> new RestCancellableNodeClient(client, request.getHttpChannel()).execute(
                    EvaluationActions.TUNE,
                    r,
                    new RestToXContentListener<>(channel)
                );
            }
            return channel -> {
                Task task = client.executeLocally(EvaluationActions.TUNE, r, ActionListener.noop());
                try (XContentBuilder builder = channel.newBuilder()) {
                    builder.startObject().field("task", client.getLocalNodeId() + ":" + task.getId()).endObject();
                    channel.sendResponse(new RestResponse(RestStatus.OK, builder));
                }
            };
        }
    }

    /** A plain {@code POST <index>/_semantic_ranking/_<name>}. */
    static final class Simple extends BaseRestHandler {
        private final String name;
        private final org.elasticsearch.action.ActionType<LocalResponse> action;

        Simple(String name, org.elasticsearch.action.ActionType<LocalResponse> action) {
            this.name = name;
            this.action = action;
        }

        @Override
        public String getName() {
            return "semantic_ranking_" + name;
        }

        @Override
        public List<Route> routes() {
            return List.of(new Route(POST, "/{index}/_semantic_ranking/_" + name));
        }

        @Override
        protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
            EvaluationActions.Request r = new EvaluationActions.Request(
                Strings.splitStringByCommaToArray(request.param("index")),
                RestLearningActions.body(request)
            );
            return channel -> new RestCancellableNodeClient(client, request.getHttpChannel()).execute(action, r, new RestToXContentListener<>(channel));
        }
    }

    static final class Evaluate extends BaseRestHandler {
        @Override
        public String getName() {
            return "semantic_ranking_evaluate";
        }

        @Override
        public List<Route> routes() {
            return List.of(new Route(POST, "/{index}/_semantic_ranking/_evaluate"));
        }

        @Override
        protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
            EvaluationActions.Request r = new EvaluationActions.Request(
                Strings.splitStringByCommaToArray(request.param("index")),
                RestLearningActions.body(request)
            );
            return channel -> new RestCancellableNodeClient(client, request.getHttpChannel()).execute(
                EvaluationActions.EVALUATE,
                r,
                new RestToXContentListener<>(channel)
            );
        }
    }
}
