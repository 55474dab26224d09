package org.semanticranking.common;

import org.elasticsearch.ExceptionsHelper;
import org.elasticsearch.ResourceAlreadyExistsException;
import org.elasticsearch.action.admin.indices.create.CreateIndexRequest;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.action.support.WriteRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.xcontent.ToXContent;
import org.elasticsearch.xcontent.XContentFactory;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The indices the plugin keeps its state in (profiles, models, rankers), written from a job on the jobs pool, where
 * waiting is allowed: created on first use with their mapping (a concurrent creation is not an error), documents
 * written visible at once so the next search reads them.
 */
public final class PluginIndices {

    private PluginIndices() {}

    /** Creates the index unless it exists. */
    public static void ensure(Client client, String index, Settings settings, String mapping) {
        try {
            client.admin()
                    .indices()
                    .create(new CreateIndexRequest(index).settings(settings).mapping(mapping))
                    .actionGet();
        } catch (Exception e) {
            if (ExceptionsHelper.unwrapCause(e) instanceof ResourceAlreadyExistsException == false) {
                throw e;
            }
        }
    }

    /** Creates the index unless it exists and writes the document under the id, refreshed. */
    public static void put(Client client, String index, Settings settings, String mapping, String id, ToXContent doc) {
        ensure(client, index, settings, mapping);
        try {
            client.index(new IndexRequest(index)
                            .id(id)
                            .source(doc.toXContent(XContentFactory.jsonBuilder(), ToXContent.EMPTY_PARAMS))
                            .setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE))
                    .actionGet();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
