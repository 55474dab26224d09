package org.semanticranking.personalization.model;

import org.elasticsearch.action.get.GetRequest;
import org.elasticsearch.action.get.GetResponse;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.IndexNotFoundException;
import org.semanticranking.common.PluginIndices;

/** Trained models as documents of the models index: every node reads the same model, and it survives restarts. Blocking: the jobs pool only. */
final class ModelStore {

    private ModelStore() {}

    static long nextVersion(Client client, String index, String modelId) {
        try {
            GetResponse existing = client.get(new GetRequest(index, modelId)).actionGet();
            return existing.isExists() ? ((Number) existing.getSourceAsMap().get("version")).longValue() + 1 : 1;
        } catch (IndexNotFoundException e) {
            return 1;
        }
    }

    static void store(Client client, String index, PersonalizationModel model) {
        PluginIndices.put(client, index, Settings.EMPTY, PersonalizationModels.MAPPING, model.modelId(), model);
    }
}
