package org.semanticranking.encoder.action;

import org.elasticsearch.ExceptionsHelper;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.cluster.project.ProjectResolver;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.transport.TransportService;
import org.semanticranking.encoder.EncoderService;
import org.semanticranking.ingest.PipelineModels;

/**
 * Encodes a query text on the node that executes it: the bridge between a query rewrite (which only has a client) and
 * the node's {@link EncoderService}, its query vector cache and its query lane. Local only: the request never crosses
 * the wire, and it runs on the coordinating node of the search, once per request and text.
 */
public final class TransportEncodeQueryAction extends TransportAction<EncodeQueryRequest, EncodeQueryResponse> {

    private final EncoderService encoder;
    private final ClusterService clusterService;
    private final ProjectResolver projectResolver;

    @Inject
    public TransportEncodeQueryAction(
            TransportService transportService,
            ActionFilters actionFilters,
            EncoderService encoder,
            ClusterService clusterService,
            ProjectResolver projectResolver) {
        // runs on the caller's thread only to hand the text to the encoder; the encode is on its pool
        super(
                EncodeQueryAction.NAME,
                actionFilters,
                transportService.getTaskManager(),
                EsExecutors.DIRECT_EXECUTOR_SERVICE);
        this.encoder = encoder;
        this.clusterService = clusterService;
        this.projectResolver = projectResolver;
    }

    @Override
    protected void doExecute(Task task, EncodeQueryRequest request, ActionListener<EncodeQueryResponse> listener) {
        if (request.fallbackAllowed()
                && clusterService.getClusterSettings().get(OnSemanticFailure.SETTING) == OnSemanticFailure.FALLBACK) {
            listener = listener.delegateResponse((l, e) -> {
                RestStatus status = ExceptionsHelper.status(e);
                if (status == RestStatus.SERVICE_UNAVAILABLE || status == RestStatus.TOO_MANY_REQUESTS) {
                    l.onResponse(EncodeQueryResponse.unavailable(status.getStatus() + " "
                            + ExceptionsHelper.unwrapCause(e).getMessage()));
                } else {
                    l.onFailure(e);
                }
            });
        }
        ActionListener.run(listener, l -> {
            String model = request.model();
            if (model == null && request.field() != null) {
                model = PipelineModels.modelFor(
                        projectResolver.getProjectMetadata(clusterService.state()),
                        request.indices(),
                        request.field(),
                        encoder.registry().defaultModel());
            }
            String resolved = encoder.registry().get(model).manifest().name();
            encoder.encodeQuery(resolved, request.text(), l.map(vector -> new EncodeQueryResponse(vector, resolved)));
        });
    }
}
