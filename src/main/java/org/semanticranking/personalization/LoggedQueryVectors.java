package org.semanticranking.personalization;

import org.elasticsearch.action.support.PlainActionFuture;
import org.elasticsearch.client.internal.Client;
import org.semanticranking.query.AsSystem;
import org.semanticranking.query.EncodeQueryAction;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The vectors of the query texts logged with impressions, for training's {@code query} context: encoded with the
 * model that embedded the products' vector field, through the node's query vector cache, once per text per training.
 * Blocking: only for the trainer, which runs on the plugin's jobs pool.
 */
final class LoggedQueryVectors implements Function<String, float[]> {

    /** Distinct texts remembered; beyond it a text is encoded again (the node's query cache usually still has it). */
    static final int MAX_REMEMBERED = 100_000;

    private final Client client;
    private final String productsIndex;
    private final String vectorField;
    private final Map<String, float[]> remembered = new HashMap<>();

    LoggedQueryVectors(Client client, String productsIndex, String vectorField) {
        this.client = client;
        this.productsIndex = productsIndex;
        this.vectorField = vectorField;
    }

    @Override
    public float[] apply(String text) {
        float[] vector = remembered.get(text);
        if (vector == null) {
            PlainActionFuture<EncodeQueryAction.Response> future = new PlainActionFuture<>();
            AsSystem.execute(client, EncodeQueryAction.TYPE, new EncodeQueryAction.Request(null, text, new String[] { productsIndex }, vectorField), future);
            vector = future.actionGet().vector();
            if (remembered.size() < MAX_REMEMBERED) {
                remembered.put(text, vector);
            }
        }
        return vector;
    }
}
