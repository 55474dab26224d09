package org.semanticranking.personalization.model;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.get.GetRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.index.IndexNotFoundException;

/**
 * Where trained models live: one document per model in an ordinary index (so every node reads the same
 * model, it survives restarts, and roles can grant or deny it like any index).
 */
public final class PersonalizationModels {

    public static final String MAPPING = """
        {"dynamic":false,"properties":{"model_id":{"type":"keyword"},"version":{"type":"long"}}}""";

    private PersonalizationModels() {}

    /** Fails with a 400 naming the model when it does not exist. */
    public static void get(Client client, String index, String modelId, ActionListener<PersonalizationModel> listener) {
        // map, not ActionListener.wrap: an exception thrown by whoever handles the model is theirs, not a second answer
        client.get(
                new GetRequest(index, modelId),
                listener.delegateResponse(
                                (l, e) -> l.onFailure(e instanceof IndexNotFoundException ? unknown(modelId) : e))
                        .map(response -> {
                            if (response.isExists() == false) {
                                throw unknown(modelId);
                            }
                            return PersonalizationModel.fromMap(response.getSourceAsMap());
                        }));
    }

    public static IllegalArgumentException unknown(String modelId) {
        return new IllegalArgumentException("unknown personalization model [" + modelId
                + "]; train it with POST _semantic_ranking/personalization/" + modelId + "/_train");
    }
}
