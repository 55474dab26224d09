package org.semanticranking.retriever;

import org.apache.lucene.search.ScoreDoc;
import org.elasticsearch.action.search.SearchPhaseController.TopDocsStats;
import org.elasticsearch.search.query.QuerySearchResult;
import org.elasticsearch.test.ESTestCase;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static org.hamcrest.Matchers.equalTo;

/**
 * The coordinating node's half of the one-search hybrid: the shards' lists merged into each side's global top list,
 * fused, filtered by {@code min_score} and cut to the page, checked against the fusion of the lists merged by hand.
 */
public class HybridCoordinatorContextTests extends ESTestCase {

    public void testTheShardsListsFuseAsTheGlobalListsWould() {
        for (int round = 0; round < 50; round++) {
            int shards = randomIntBetween(1, 5);
            int window = randomIntBetween(1, 30);
            HybridFusion fusion = HybridRankBuilderTests.randomFusion();
            List<QuerySearchResult> results = new ArrayList<>();
            List<ScoreDoc> lexical = new ArrayList<>();
            List<ScoreDoc> semantic = new ArrayList<>();
            for (int s = 0; s < shards; s++) {
                ScoreDoc[] l = bestFirst(distinctDocs(window));
                ScoreDoc[] m = bestFirst(distinctDocs(window));
                QuerySearchResult result = new QuerySearchResult();
                result.setShardIndex(s);
                result.setRankShardResult(new HybridShardResult(l, m));
                results.add(result);
                for (ScoreDoc d : l) {
                    lexical.add(new ScoreDoc(d.doc, d.score, s));
                }
                for (ScoreDoc d : m) {
                    semantic.add(new ScoreDoc(d.doc, d.score, s));
                }
            }
            HybridRankDoc[] expected = fusion.fuse(globalTop(lexical, window), globalTop(semantic, window), window);
            Float minScore = randomBoolean() ? null : expected.length == 0 ? 0f : expected[expected.length / 2].score;
            int from = randomIntBetween(0, window);
            int size = randomIntBetween(1, window);

            TopDocsStats stats = new TopDocsStats(10_000);
            ScoreDoc[] page = new HybridCoordinatorContext(size, from, window, fusion, minScore)
                    .rankQueryPhaseResults(results, stats);

            List<String> want = new ArrayList<>();
            for (HybridRankDoc d : expected) {
                if (minScore == null || d.score >= minScore) {
                    want.add(d.shardIndex + "/" + d.doc + "=" + d.score + "@" + d.rank);
                }
            }
            want = want.subList(Math.min(from, want.size()), Math.min(want.size(), from + size));
            List<String> got = new ArrayList<>();
            for (ScoreDoc d : page) {
                got.add(d.shardIndex + "/" + d.doc + "=" + d.score + "@" + ((HybridRankDoc) d).rank);
            }
            assertThat(got, equalTo(want));
            assertThat(stats.fetchHits, equalTo((long) page.length));
        }
    }

    private static ScoreDoc[] distinctDocs(int max) {
        int n = randomIntBetween(0, max);
        ScoreDoc[] docs = new ScoreDoc[n];
        for (int i = 0; i < n; i++) {
            // a shard's hits are distinct Lucene docs; scores may tie
            docs[i] = new ScoreDoc(i * 3 + randomIntBetween(0, 2), randomIntBetween(0, 40) / 4f);
        }
        return docs;
    }

    private static ScoreDoc[] bestFirst(ScoreDoc[] docs) {
        Arrays.sort(docs, Comparator.comparingDouble((ScoreDoc d) -> -d.score).thenComparingInt(d -> d.doc));
        return docs;
    }

    /** Each side's best {@code window} over every shard, by score, ties by shard then doc. */
    private static ScoreDoc[] globalTop(List<ScoreDoc> side, int window) {
        ScoreDoc[] all = side.toArray(new ScoreDoc[0]);
        Arrays.sort(
                all,
                Comparator.comparingDouble((ScoreDoc d) -> -d.score)
                        .thenComparingInt((ScoreDoc d) -> d.shardIndex)
                        .thenComparingInt(d -> d.doc));
        return Arrays.copyOf(all, Math.min(window, all.length));
    }
}
