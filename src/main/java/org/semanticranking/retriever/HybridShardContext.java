package org.semanticranking.retriever;

import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.elasticsearch.search.rank.RankShardResult;
import org.elasticsearch.search.rank.context.QueryPhaseRankShardContext;

import java.util.List;

/** On each shard: the two sub-searches' top lists (lexical, then semantic), as they are, for the coordinating node. */
final class HybridShardContext extends QueryPhaseRankShardContext {

    HybridShardContext(List<Query> queries, int rankWindowSize) {
        super(queries, rankWindowSize);
    }

    @Override
    public RankShardResult combineQueryPhaseResults(List<TopDocs> rankResults) {
        if (rankResults.size() != 2) {
            // a search that timed out stops before its second query: that shard gives what it has
            return new HybridShardResult(
                    rankResults.isEmpty() ? new ScoreDoc[0] : rankResults.get(0).scoreDocs, new ScoreDoc[0]);
        }
        return new HybridShardResult(rankResults.get(0).scoreDocs, rankResults.get(1).scoreDocs);
    }
}
