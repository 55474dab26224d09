package org.semanticranking.personalization.context;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.transport.TransportService;
import org.semanticranking.personalization.events.InteractionFields;
import org.semanticranking.personalization.model.PersonalizationModels;
import org.semanticranking.personalization.profile.ProfileSettings;

/**
 * Loads a {@link ShopperContext} on the coordinating node for a rescorer's rewrite, filling in the index
 * names from the cluster settings when the request names none. Local only; the fetches inside run with the
 * caller's client, so with the caller's privileges.
 */
public final class ShopperContextAction {

    /**
     * An index action over the searched indices: whoever may search them may load a shopper; the profile and event
     * fetches inside run with the caller's own privileges (no read on the profiles index: no personalization).
     */
    public static final String NAME = "indices:data/read/semantic_ranking/load_shopper";
    public static final ActionType<Response> TYPE = new ActionType<>(NAME);

    private ShopperContextAction() {}

    public static final class Request extends ActionRequest implements org.elasticsearch.action.IndicesRequest {
        private final ShopperContextLoader.Request request;

        @Override
        public String[] indices() {
            return request.productIndices();
        }

        @Override
        public org.elasticsearch.action.support.IndicesOptions indicesOptions() {
            return org.elasticsearch.action.support.IndicesOptions.lenientExpandOpen();
        }

        /** Index names may be {@code null}: the node's settings give them. */
        public Request(ShopperContextLoader.Request request) {
            this.request = request;
        }

        @Override
        public ActionRequestValidationException validate() {
            return null;
        }

        @Override
        public void writeTo(StreamOutput out) {
            TransportAction.localOnly();
        }
    }

    public static final class Response extends org.elasticsearch.action.ActionResponse {
        private final ShopperContext context;

        public Response(ShopperContext context) {
            this.context = context;
        }

        public ShopperContext context() {
            return context;
        }

        @Override
        public void writeTo(StreamOutput out) {
            TransportAction.localOnly();
        }
    }

    public static final class TransportShopperContextAction extends TransportAction<Request, Response> {
        private final Client client;
        private final ClusterService clusterService;
        private final IndexNameExpressionResolver resolver;

        @Inject
        public TransportShopperContextAction(TransportService transportService, ActionFilters actionFilters, Client client, ClusterService clusterService,
            IndexNameExpressionResolver resolver) {
            super(NAME, actionFilters, transportService.getTaskManager(), EsExecutors.DIRECT_EXECUTOR_SERVICE);
            this.client = client;
            this.clusterService = clusterService;
            this.resolver = resolver;
        }

        @Override
        protected void doExecute(Task task, Request request, ActionListener<Response> listener) {
            var cluster = clusterService.getClusterSettings();
            ShopperContextLoader.Request r = request.request;
            ShopperContextLoader.Request filled = new ShopperContextLoader.Request(
                r.userId(),
                r.inlineProfile(),
                r.profilesIndex() != null ? r.profilesIndex() : cluster.get(ProfileSettings.PROFILES_INDEX),
                r.interactionsIndex() != null ? r.interactionsIndex() : cluster.get(ProfileSettings.INTERACTIONS_INDEX),
                r.productIndices(),
                r.vectorField(),
                r.modelId(),
                r.modelsIndex() != null ? r.modelsIndex() : cluster.get(PersonalizationModels.INDEX),
                r.sessionSize()
            );
            // the events' fields from the mapping in the cluster state (no request); a log index mapped so that its events
            // cannot be searched costs the shopper the session vector, with a note, not the search
            InteractionFields fields = null;
            String problem = null;
            try {
                fields = InteractionFields.resolve("personalized_blend", filled.interactionsIndex(), clusterService.state().metadata().getProject(), resolver);
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
            ShopperContextLoader.load(client, filled, fields, problem, listener.map(Response::new));
        }
    }
}
