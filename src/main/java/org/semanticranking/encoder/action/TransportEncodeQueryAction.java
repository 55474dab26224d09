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
        String resolved;
        try {
            String model = request.model();
            if (model == null && request.field() != null) {
                model = PipelineModels.modelFor(
                        projectResolver.getProjectMetadata(clusterService.state()),
                        request.indices(),
                        request.field(),
                        encoder.registry().defaultModel());
            }
            resolved = encoder.registry().get(model).manifest().name();
        } catch (Exception e) {
            // a model that cannot load is the encode's own failure (503) and falls back like one
            failOrFallBack(request, listener, e);
            return;
        }
        // the encode's own failure, and only it, may become the lexical fallback's answer: an exception thrown by
        // whoever handles the response is theirs (turning it into a second response would complete the search's
        // rewrite twice)
        encoder.encodeQuery(resolved, request.text(), new ActionListener<>() {
            @Override
            public void onResponse(float[] vector) {
                listener.onResponse(new EncodeQueryResponse(vector, resolved));
            }

            @Override
            public void onFailure(Exception e) {
                failOrFallBack(request, listener, e);
            }
        });
    }

    private void failOrFallBack(EncodeQueryRequest request, ActionListener<EncodeQueryResponse> listener, Exception e) {
        RestStatus status = ExceptionsHelper.status(e);
        boolean fallback = request.fallbackAllowed()
                && clusterService.getClusterSettings().get(OnSemanticFailure.SETTING) == OnSemanticFailure.FALLBACK;
        if (fallback && (status == RestStatus.SERVICE_UNAVAILABLE || status == RestStatus.TOO_MANY_REQUESTS)) {
            listener.onResponse(EncodeQueryResponse.unavailable(
                    status.getStatus() + " " + ExceptionsHelper.unwrapCause(e).getMessage()));
        } else {
            listener.onFailure(e);
        }
    }
}
