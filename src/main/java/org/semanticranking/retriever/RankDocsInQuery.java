package org.semanticranking.retriever;

import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.Query;
import org.elasticsearch.search.rank.RankDoc;
import org.elasticsearch.search.retriever.rankdoc.RankDocsQuery;

import java.util.HashMap;
import java.util.Map;

/**
 * The rank docs of a compound retriever, found in the query of its final search on a shard. Elasticsearch runs that
 * search as a {@link RankDocsQuery} over the retriever's hits of the shard (wrapped in a boolean, boost or constant
 * score query when the search adds filters): a fetch phase reads there what the retriever said of each hit.
 */
public final class RankDocsInQuery {

    private RankDocsInQuery() {}

    /** The rank docs of {@code type}, by their shard-level doc id. */
    public static <T extends RankDoc> Map<Integer, T> collect(Query query, Class<T> type) {
        Map<Integer, T> byDoc = new HashMap<>();
        collect(query, type, byDoc);
        return byDoc;
    }

    private static <T extends RankDoc> void collect(Query query, Class<T> type, Map<Integer, T> byDoc) {
        if (query instanceof RankDocsQuery rankDocs) {
            for (RankDoc doc : rankDocs.rankDocs()) {
                if (type.isInstance(doc)) {
                    byDoc.put(doc.doc, type.cast(doc));
                }
            }
        } else if (query instanceof BooleanQuery bool) {
            for (BooleanClause clause : bool.clauses()) {
                collect(clause.query(), type, byDoc);
            }
        } else if (query instanceof BoostQuery boost) {
            collect(boost.getQuery(), type, byDoc);
        } else if (query instanceof ConstantScoreQuery constant) {
            collect(constant.getQuery(), type, byDoc);
        }
    }
}
