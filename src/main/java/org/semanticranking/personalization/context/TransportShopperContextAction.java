package org.semanticranking.personalization.context;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.transport.TransportService;
import org.semanticranking.personalization.PersonalizationSettings;
import org.semanticranking.personalization.events.InteractionFields;

/**
 * Loads a {@link ShopperContext} on the coordinating node, filling in the index names from the cluster settings when the
 * request names none. Local only; the fetches inside run with the caller's client, so with the caller's privileges.
 */
public final class TransportShopperContextAction
        extends TransportAction<ShopperContextRequest, ShopperContextResponse> {

    private final Client client;
    private final ClusterService clusterService;
    private final IndexNameExpressionResolver resolver;

    @Inject
    public TransportShopperContextAction(
            TransportService transportService,
            ActionFilters actionFilters,
            Client client,
            ClusterService clusterService,
            IndexNameExpressionResolver resolver) {
        super(
                ShopperContextAction.NAME,
                actionFilters,
                transportService.getTaskManager(),
                EsExecutors.DIRECT_EXECUTOR_SERVICE);
        this.client = client;
        this.clusterService = clusterService;
        this.resolver = resolver;
    }

    @Override
    protected void doExecute(
            Task task, ShopperContextRequest request, ActionListener<ShopperContextResponse> listener) {
        var cluster = clusterService.getClusterSettings();
        ShopperContextLoader.Request r = request.request();
        ShopperContextLoader.Request filled = new ShopperContextLoader.Request(
                r.userId(),
                r.inlineProfile(),
                r.profilesIndex() != null ? r.profilesIndex() : cluster.get(PersonalizationSettings.PROFILES_INDEX),
                r.interactionsIndex() != null
                        ? r.interactionsIndex()
                        : cluster.get(PersonalizationSettings.INTERACTIONS_INDEX),
                r.productIndices(),
                r.vectorField(),
                r.modelId(),
                r.modelsIndex() != null ? r.modelsIndex() : cluster.get(PersonalizationSettings.MODELS_INDEX),
                r.sessionSize());
        // the events' fields from the mapping in the cluster state (no request); a log index mapped so that its events
        // cannot be searched costs the shopper the session vector, with a note, not the search
        InteractionFields fields = null;
        String problem = null;
        try {
            fields = InteractionFields.resolve(
                    "personalized_blend",
                    filled.interactionsIndex(),
                    clusterService.state().metadata().getProject(),
                    resolver);
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        ShopperContextLoader.load(client, filled, fields, problem, listener.map(ShopperContextResponse::new));
    }
}
