package org.semanticranking.personalization.model;

import org.elasticsearch.ExceptionsHelper;
import org.elasticsearch.ResourceAlreadyExistsException;
import org.elasticsearch.action.admin.indices.create.CreateIndexRequest;
import org.elasticsearch.action.get.GetRequest;
import org.elasticsearch.action.get.GetResponse;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.action.support.WriteRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.index.IndexNotFoundException;
import org.elasticsearch.xcontent.ToXContent;
import org.elasticsearch.xcontent.XContentFactory;

import java.io.IOException;
import java.io.UncheckedIOException;

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
        try {
            client.admin()
                    .indices()
                    .create(new CreateIndexRequest(index).mapping(PersonalizationModels.MAPPING))
                    .actionGet();
        } catch (Exception e) {
            if (ExceptionsHelper.unwrapCause(e) instanceof ResourceAlreadyExistsException == false) {
                throw e;
            }
        }
        try {
            client.index(new IndexRequest(index)
                            .id(model.modelId())
                            .source(model.toXContent(XContentFactory.jsonBuilder(), ToXContent.EMPTY_PARAMS))
                            .setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE))
                    .actionGet();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
