package org.semanticranking.query;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.transport.TransportService;
import org.semanticranking.encoder.EncoderService;

import static org.elasticsearch.action.ValidateActions.addValidationError;

/**
 * Encodes a query text on the node that executes it: the bridge between a query rewrite (which only
 * has a {@link org.elasticsearch.client.internal.Client}) and the node's {@link EncoderService}, its
 * query vector cache and encoder pool. Local only: the request never crosses the wire, and it runs on
 * the coordinating node of the search, once per request.
 */
public final class EncodeQueryAction {

    public static final String NAME = "cluster:internal/semantic_ranking/encode_query";
    public static final ActionType<Response> TYPE = new ActionType<>(NAME);

    private EncodeQueryAction() {}

    public static final class Request extends ActionRequest {
        private final String model;
        private final String text;

        public Request(String model, String text) {
            this.model = model;
            this.text = text;
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

        public Response(float[] vector) {
            this.vector = vector;
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

        @Inject
        public TransportEncodeQueryAction(TransportService transportService, ActionFilters actionFilters, EncoderService encoder) {
            // runs on the caller's thread only to hand the text to the encoder; the encode is on its pool
            super(NAME, actionFilters, transportService.getTaskManager(), EsExecutors.DIRECT_EXECUTOR_SERVICE);
            this.encoder = encoder;
        }

        @Override
        protected void doExecute(Task task, Request request, ActionListener<Response> listener) {
            ActionListener.run(listener, l -> encoder.encodeQuery(request.model(), request.text(), l.map(Response::new)));
        }
    }
}
