package org.semanticranking.ranking.rescore;

import org.elasticsearch.TransportVersion;
import org.elasticsearch.action.ResolvedIndices;
import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.index.IndexVersion;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.search.rescore.RescorerBuilder;
import org.elasticsearch.test.ESTestCase;
import org.elasticsearch.xcontent.XContentParserConfiguration;
import org.semanticranking.ranking.feature.ShopperFeature;
import org.semanticranking.rescore.BlendOptions;
import org.semanticranking.rescore.BlendWeights;
import org.semanticranking.rescore.PersonalizedBlendRescorerBuilder;

import java.util.List;
import java.util.Map;

/**
 * A rewrite round Elasticsearch starts before the actions of the round before have run (a compound retriever's search
 * completing on another thread while the first thread clears the round's unique actions): the rescorers register their
 * fetches again rather than go to the shards unbound. Simulated by a second round on a context that never ran the
 * first round's actions.
 */
public class LostRewriteRoundTests extends ESTestCase {

    static QueryRewriteContext coordinating() {
        IndexMetadata shop = IndexMetadata.builder("shop")
                .settings(indexSettings(IndexVersion.current(), 1, 0))
                .build();
        ResolvedIndices resolved = new ResolvedIndices(Map.of(), null, Map.of(shop.getIndex(), shop));
        return new QueryRewriteContext(
                XContentParserConfiguration.EMPTY,
                null,
                () -> 0L,
                TransportVersion.current(),
                "",
                resolved,
                null,
                null,
                false);
    }

    public void testALearnedRankWhoseRankerWasNotFetchedFetchesItAgain() throws Exception {
        LearnedRankRescorerBuilder asked =
                new LearnedRankRescorerBuilder(new LearnedRankOptions("r1", null, null, Map.of(), false));
        QueryRewriteContext first = coordinating();
        RescorerBuilder<?> registered = asked.rewrite(first);
        assertNotSame(asked, registered);
        assertTrue("the ranker's load is registered", first.hasAsyncActions());
        assertSame(
                "rewritten again in the same round, while its load waits: unchanged",
                registered,
                registered.rewrite(first));
        // the next round comes, and the load never ran
        QueryRewriteContext lost = coordinating();
        RescorerBuilder<?> again = registered.rewrite(lost);
        assertNotSame("unchanged, the rewrite would end with the ranker unloaded", registered, again);
        assertTrue("the load is registered again", lost.hasAsyncActions());
    }

    public void testALearnedRankWhoseShopperWasNotFetchedFetchesItAgain() throws Exception {
        ShopperFeature affinity = new ShopperFeature("brand", ShopperFeature.Measure.AFFINITY, "brand", null, 10);
        LearnedRankRescorerBuilder asked = new LearnedRankRescorerBuilder(
                new LearnedRankOptions(null, List.of(affinity), null, Map.of("user_id", "u1"), false));
        QueryRewriteContext first = coordinating();
        RescorerBuilder<?> registered = asked.rewrite(first);
        assertNotSame(asked, registered);
        assertTrue("the shopper's load is registered", first.hasAsyncActions());
        assertSame(registered, registered.rewrite(first));
        QueryRewriteContext lost = coordinating();
        RescorerBuilder<?> again = registered.rewrite(lost);
        assertNotSame(registered, again);
        assertTrue("the shopper's load is registered again", lost.hasAsyncActions());
    }

    public void testABlendWhoseShopperWasNotFetchedFetchesItAgain() throws Exception {
        PersonalizedBlendRescorerBuilder asked = new PersonalizedBlendRescorerBuilder(new BlendOptions.Builder()
                .userId("u1")
                .vectorField("vec")
                .weights(new BlendWeights(0.5, 0, 0.5))
                .build());
        QueryRewriteContext first = coordinating();
        RescorerBuilder<?> registered = asked.rewrite(first);
        assertNotSame(asked, registered);
        assertTrue(first.hasAsyncActions());
        assertSame(registered, registered.rewrite(first));
        QueryRewriteContext lost = coordinating();
        RescorerBuilder<?> again = registered.rewrite(lost);
        assertNotSame(registered, again);
        assertTrue("the shopper's load is registered again", lost.hasAsyncActions());
    }
}
