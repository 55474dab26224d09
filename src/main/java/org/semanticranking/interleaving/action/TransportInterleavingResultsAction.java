package org.semanticranking.interleaving.action;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.client.internal.ParentTaskAssigningClient;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.metadata.ProjectMetadata;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.transport.TransportService;
import org.semanticranking.common.LocalResponse;
import org.semanticranking.personalization.PersonalizationSettings;
import org.semanticranking.personalization.events.InteractionEvent;
import org.semanticranking.personalization.events.InteractionFields;

/** Counts an experiment's impressions from the events with the caller's privileges, page by page, never blocking. */
public final class TransportInterleavingResultsAction
        extends TransportAction<InterleavingResultsAction.Request, LocalResponse> {

    private final Client client;
    private final TransportService transportService;
    private final ClusterService clusterService;
    private final IndexNameExpressionResolver resolver;

    @Inject
    public TransportInterleavingResultsAction(
            TransportService transportService,
            ActionFilters filters,
            Client client,
            ClusterService clusterService,
            IndexNameExpressionResolver resolver) {
        super(
                InterleavingResultsAction.NAME,
                filters,
                transportService.getTaskManager(),
                EsExecutors.DIRECT_EXECUTOR_SERVICE);
        this.client = client;
        this.transportService = transportService;
        this.clusterService = clusterService;
        this.resolver = resolver;
    }

    @Override
    protected void doExecute(
            Task task, InterleavingResultsAction.Request request, ActionListener<LocalResponse> listener) {
        ActionListener.run(listener, l -> {
            String api = InterleavingResultsAction.API;
            String index = request.eventsIndex() != null
                    ? request.eventsIndex()
                    : clusterService.getClusterSettings().get(PersonalizationSettings.INTERACTIONS_INDEX);
            ProjectMetadata project = clusterService.state().metadata().getProject();
            InteractionFields fields = InteractionFields.resolve(api, index, project, resolver);
            String experiment =
                    InteractionFields.keywordField(api, index, InteractionEvent.EXPERIMENT, project, resolver);
            String side = InteractionFields.keywordField(api, index, InteractionEvent.SIDE, project, resolver);
            String credit = InteractionFields.decimalField(api, index, InteractionEvent.CREDIT, project, resolver);
            Client child = new ParentTaskAssigningClient(client, transportService.getLocalNode(), task);
            new ExperimentClicks(child, index, fields, experiment, side, credit, request.experiment())
                    .read(l.map(outcome -> new LocalResponse((builder, params) -> {
                        builder.startObject()
                                .field("experiment", request.experiment())
                                .field("results");
                        outcome.toXContent(builder, request.test());
                        return builder.endObject();
                    })));
        });
    }
}
