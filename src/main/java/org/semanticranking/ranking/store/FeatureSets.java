package org.semanticranking.ranking.store;

import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.get.GetRequest;
import org.elasticsearch.action.get.GetResponse;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.index.IndexNotFoundException;
import org.semanticranking.ranking.feature.Feature;
import org.semanticranking.ranking.feature.FeatureParser;

import java.util.List;

/**
 * Named feature sets as documents of the feature sets index ({@code PUT _semantic_ranking/feature_sets/<name>}): a
 * training or a logging search names one instead of repeating its features. Read with the caller's client.
 */
public final class FeatureSets {

    public static final String MAPPING = """
        {"dynamic":false,"properties":{"name":{"type":"keyword"},"features":{"type":"object","enabled":false}}}""";

    private FeatureSets() {}

    /** Fails with a 404 naming the set when it does not exist. */
    public static void get(Client client, String index, String name, ActionListener<List<Feature>> listener) {
        client.get(new GetRequest(index, name), new ActionListener<>() {
            @Override
            public void onResponse(GetResponse response) {
                List<Feature> features;
                try {
                    if (response.isExists() == false) {
                        throw unknown(name);
                    }
                    features = FeatureParser.fromList(response.getSourceAsMap().get("features"));
                } catch (Exception e) {
                    listener.onFailure(e);
                    return;
                }
                listener.onResponse(features);
            }

            @Override
            public void onFailure(Exception e) {
                listener.onFailure(e instanceof IndexNotFoundException ? unknown(name) : e);
            }
        });
    }

    public static ResourceNotFoundException unknown(String name) {
        return new ResourceNotFoundException(
                "unknown feature set [" + name + "]; store it with PUT _semantic_ranking/feature_sets/" + name);
    }
}
