package org.semanticranking.ranking.store;

import org.elasticsearch.action.get.GetRequest;
import org.elasticsearch.action.get.GetResponse;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.index.IndexNotFoundException;
import org.semanticranking.common.PluginIndices;
import org.semanticranking.ranking.model.Ranker;

/**
 * Rankers as documents of the rankers index (one per ranker id; a new training writes the next version): every node
 * reads the same ranker, it survives restarts, and roles grant or deny it like any index. Blocking: the jobs pool only.
 */
public final class RankerStore {

    /** One shard, a replica wherever there is a second node: a single-node cluster stays green. */
    public static final org.elasticsearch.common.settings.Settings INDEX_SETTINGS =
            org.elasticsearch.common.settings.Settings.builder()
                    .put("index.number_of_shards", 1)
                    .put("index.auto_expand_replicas", "0-1")
                    .build();

    private RankerStore() {}

    public static IllegalArgumentException unknown(String rankerId) {
        return new IllegalArgumentException("unknown ranker [" + rankerId + "]; train it with POST <index>/"
                + "_semantic_ranking/rankers/" + rankerId + "/_train");
    }

    public static long nextVersion(Client client, String index, String rankerId) {
        try {
            GetResponse existing = client.get(new GetRequest(index, rankerId)
                            .fetchSourceContext(org.elasticsearch.search.fetch.subphase.FetchSourceContext.of(
                                    true, new String[] {"version"}, null)))
                    .actionGet();
            return existing.isExists() ? ((Number) existing.getSourceAsMap().get("version")).longValue() + 1 : 1;
        } catch (IndexNotFoundException e) {
            return 1;
        }
    }

    public static void store(Client client, String index, Ranker ranker) {
        PluginIndices.put(client, index, INDEX_SETTINGS, Ranker.MAPPING, ranker.rankerId(), ranker);
    }
}
