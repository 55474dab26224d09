package org.semanticranking.encoder.action;

import org.elasticsearch.ExceptionsHelper;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.common.settings.Setting;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.cluster.project.ProjectResolver;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.transport.TransportService;
import org.semanticranking.encoder.EncoderService;

import static org.elasticsearch.action.ValidateActions.addValidationError;
import org.semanticranking.ingest.PipelineModels;

/**
 * Encodes a query text on the node that executes it: the bridge between a query rewrite (which only
 * has a {@link org.elasticsearch.client.internal.Client}) and the node's {@link EncoderService}, its
 * query vector cache and encoder pool. Local only: the request never crosses the wire, and it runs on
 * the coordinating node of the search, once per request.
 */
public final class EncodeQueryAction {

    /** An internal action, run outside the caller's security context (see {@link AsSystem}): it reads no data. */
    public static final String NAME = "internal:semantic_ranking/encode_query";
    public static final ActionType<Response> TYPE = new ActionType<>(NAME);

    /**
     * What {@code semantic_hybrid} does when its semantic side cannot be encoded because the encoder is unavailable
     * (the model failed to load: 503; the encoder pool is saturated: 429): {@code fallback} answers with the lexical
     * side alone and a warning, {@code fail} fails the search.
     */
    public static final Setting<String> ON_SEMANTIC_FAILURE = Setting.simpleString(
        "semantic_ranking.hybrid.on_semantic_failure",
        "fallback",
        value -> {
            if (value.equals("fallback") == false && value.equals("fail") == false) {
                throw new IllegalArgumentException("[semantic_ranking.hybrid.on_semantic_failure] must be [fallback] or [fail], got [" + value + "]");
            }
        },
        Setting.Property.NodeScope,
        Setting.Property.Dynamic
    );

    private EncodeQueryAction() {}

    public static final class Request extends ActionRequest {
        private final String model;
        private final String text;
        private final String[] indices;
        private final String field;
        private final boolean fallbackAllowed;

        public Request(String model, String text) {
            this(model, text, new String[0], null);
        }

        public Request(String model, String text, String[] indices, String field) {
            this(model, text, indices, field, false);
        }

        /**
         * @param indices the searched indices and {@code field} their vector field: when no model is named, the
         *                model is the one their pipelines embed the field with
         */
        /** @param fallbackAllowed the semantic side of a hybrid: an unavailable encoder may answer "no vector" (see {@link #ON_SEMANTIC_FAILURE}) */
        public Request(String model, String text, String[] indices, String field, boolean fallbackAllowed) {
            this.model = model;
            this.text = text;
            this.indices = indices;
            this.field = field;
            this.fallbackAllowed = fallbackAllowed;
        }

        public String model() {
            return model;
        }

        public String text() {
            return text;
        }

        @Override
        public ActionRequestValidationException validate() {
            if (text == null || text.isBlank()) {
                return addValidationError("query text is missing or blank", null);
            }
            return null;
        }

        @Override
        public void writeTo(StreamOutput out) {
            TransportAction.localOnly();
        }
    }

    public static final class Response extends ActionResponse {
        private final float[] vector;
        private final String model;
        private final String failure;

        /** No vector: the encoder was unavailable and the caller may fall back. */
        static Response unavailable(String reason) {
            return new Response(null, null, reason);
        }

        private Response(float[] vector, String model, String failure) {
            this.vector = vector;
            this.model = model;
            this.failure = failure;
        }

        /** Why there is no vector, or {@code null}. */
        public String failure() {
            return failure;
        }

        public Response(float[] vector) {
            this(vector, null);
        }

        /** @param model the model that encoded the text (resolved from the default or the field's pipeline) */
        public Response(float[] vector, String model) {
            this(vector, model, null);
        }

        public String model() {
            return model;
        }

        /** Shared with the cache: do not modify. */
        public float[] vector() {
            return vector;
        }

        @Override
        public void writeTo(StreamOutput out) {
            TransportAction.localOnly();
        }
    }

    public static final class TransportEncodeQueryAction extends TransportAction<Request, Response> {

        private final EncoderService encoder;
        private final ClusterService clusterService;
        private final ProjectResolver projectResolver;

        @Inject
        public TransportEncodeQueryAction(
            TransportService transportService,
            ActionFilters actionFilters,
            EncoderService encoder,
            ClusterService clusterService,
            ProjectResolver projectResolver
        ) {
            // runs on the caller's thread only to hand the text to the encoder; the encode is on its pool
            super(NAME, actionFilters, transportService.getTaskManager(), EsExecutors.DIRECT_EXECUTOR_SERVICE);
            this.encoder = encoder;
            this.clusterService = clusterService;
            this.projectResolver = projectResolver;
        }

        @Override
        protected void doExecute(Task task, Request request, ActionListener<Response> listener) {
            if (request.fallbackAllowed && "fallback".equals(clusterService.getClusterSettings().get(ON_SEMANTIC_FAILURE))) {
                listener = listener.delegateResponse((l, e) -> {
                    RestStatus status = ExceptionsHelper.status(e);
                    if (status == RestStatus.SERVICE_UNAVAILABLE || status == RestStatus.TOO_MANY_REQUESTS) {
                        l.onResponse(Response.unavailable(status.getStatus() + " " + ExceptionsHelper.unwrapCause(e).getMessage()));
                    } else {
                        l.onFailure(e);
                    }
                });
            }
            ActionListener.run(listener, l -> {
                String model = request.model();
                if (model == null && request.field != null) {
                    model = PipelineModels.modelFor(
                        projectResolver.getProjectMetadata(clusterService.state()),
                        request.indices,
                        request.field,
                        encoder.registry().defaultModel()
                    );
                }
                String resolved = encoder.registry().get(model).manifest().name();
                encoder.encodeQuery(resolved, request.text(), l.map(vector -> new Response(vector, resolved)));
            });
        }
    }
}
