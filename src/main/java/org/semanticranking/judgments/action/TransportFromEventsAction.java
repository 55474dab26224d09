package org.semanticranking.judgments.action;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.client.internal.ParentTaskAssigningClient;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.transport.TransportService;
import org.elasticsearch.xcontent.ToXContent;
import org.semanticranking.common.LocalResponse;

import java.util.Map;

public final class TransportFromEventsAction extends TransportAction<FromEventsAction.Request, LocalResponse> {

    private final Client client;
    private final TransportService transportService;
    private final ThreadPool threadPool;
    private final ClusterService clusterService;
    private final IndexNameExpressionResolver resolver;

    @Inject
    public TransportFromEventsAction(
            TransportService transportService,
            ActionFilters filters,
            Client client,
            ThreadPool threadPool,
            ClusterService clusterService,
            IndexNameExpressionResolver resolver) {
        super(FromEventsAction.NAME, filters, transportService.getTaskManager(), EsExecutors.DIRECT_EXECUTOR_SERVICE);
        this.client = client;
        this.transportService = transportService;
        this.threadPool = threadPool;
        this.clusterService = clusterService;
        this.resolver = resolver;
    }

    @Override
    protected void doExecute(Task task, FromEventsAction.Request request, ActionListener<LocalResponse> listener) {
        Client child = new ParentTaskAssigningClient(client, transportService.getLocalNode(), task);
        String queryParam = request.options().queryParam();
        new EventJudgments(child, threadPool, clusterService, resolver)
                .load(
                        FromEventsAction.API,
                        request.options(),
                        listener.map(judgments -> new LocalResponse((builder, params) -> judgments.toXContent(
                                builder,
                                new ToXContent.DelegatingMapParams(Map.of("query_param", queryParam), params)))));
    }
}
