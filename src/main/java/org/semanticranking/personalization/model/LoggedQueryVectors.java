package org.semanticranking.personalization.model;

import org.elasticsearch.action.support.PlainActionFuture;
import org.elasticsearch.client.internal.Client;
import org.semanticranking.encoder.action.AsSystem;
import org.semanticranking.encoder.action.EncodeQueryAction;
import org.semanticranking.encoder.action.EncodeQueryRequest;
import org.semanticranking.encoder.action.EncodeQueryResponse;

import java.util.function.Function;

/**
 * The vectors of the query texts logged with impressions, for training's {@code query} context: encoded with the
 * model that embedded the products' vector field, through the node's query vector cache (bounded, LRU), which is
 * what makes a repeated text cheap; nothing is kept here. Blocking: only for the trainer, which runs on the
 * plugin's jobs pool, and only once per impression.
 */
final class LoggedQueryVectors implements Function<String, float[]> {

    private final Client client;
    private final String productsIndex;
    private final String vectorField;

    LoggedQueryVectors(Client client, String productsIndex, String vectorField) {
        this.client = client;
        this.productsIndex = productsIndex;
        this.vectorField = vectorField;
    }

    @Override
    public float[] apply(String text) {
        PlainActionFuture<EncodeQueryResponse> future = new PlainActionFuture<>();
        AsSystem.execute(
                client,
                EncodeQueryAction.INSTANCE,
                new EncodeQueryRequest(null, text, new String[] {productsIndex}, vectorField, false),
                future);
        return future.actionGet().vector();
    }
}
