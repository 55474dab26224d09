package org.semanticranking.retriever;

import org.apache.lucene.search.ScoreDoc;
import org.elasticsearch.test.ESTestCase;

import static org.semanticranking.scoring.Combination.LINEAR;
import static org.semanticranking.scoring.Combination.RRF;
import static org.semanticranking.scoring.Normalization.MIN_MAX;
import static org.semanticranking.scoring.Normalization.NONE;
import static org.semanticranking.scoring.Normalization.Z_SCORE;

public class HybridFusionTests extends ESTestCase {

    // lexical: A(10) B(5) C(0); semantic: C(0.9) D(0.8) A(0.7) — documents are (doc id, shard 0)
    private static final ScoreDoc[] LEXICAL = {new ScoreDoc(1, 10f, 0), new ScoreDoc(2, 5f, 0), new ScoreDoc(3, 0f, 0)};
    private static final ScoreDoc[] SEMANTIC = {
        new ScoreDoc(3, 0.9f, 0), new ScoreDoc(4, 0.8f, 0), new ScoreDoc(1, 0.7f, 0)
    };

    private static HybridRankDoc find(HybridRankDoc[] docs, int doc) {
        for (HybridRankDoc d : docs) {
            if (d.doc == doc) {
                return d;
            }
        }
        throw new AssertionError("doc " + doc + " missing");
    }

    public void testRrfByHand() {
        HybridRankDoc[] fused = new HybridFusion(RRF, MIN_MAX, 1, 1, 60).fuse(LEXICAL, SEMANTIC, 10);
        assertEquals(4, fused.length);
        assertEquals(1f / 61 + 1f / 63, find(fused, 1).score, 1e-7);
        assertEquals(1f / 63 + 1f / 61, find(fused, 3).score, 1e-7);
        assertEquals(1f / 62, find(fused, 2).score, 1e-7);
        assertEquals(1f / 62, find(fused, 4).score, 1e-7);
        // 1 and 3 tie on score; both have a best rank of 1: document order decides
        assertEquals(1, fused[0].doc);
        assertEquals(3, fused[1].doc);
        assertEquals(1, fused[0].rank);
        assertEquals(1, find(fused, 1).lexicalRank());
        assertEquals(3, find(fused, 1).semanticRank());
        assertEquals(10f, find(fused, 1).lexicalScore(), 0f);
        assertEquals("absent from the lexical list", -1, find(fused, 4).lexicalRank());
    }

    public void testLinearMinMaxByHand() {
        HybridRankDoc[] fused = new HybridFusion(LINEAR, MIN_MAX, 0.3f, 0.7f, 60).fuse(LEXICAL, SEMANTIC, 10);
        // lexical normalised: A 1, B 0.5, C 0; semantic: C 1, D 0.5, A 0
        assertEquals(0.3f * 1 + 0.7f * 0, find(fused, 1).score, 1e-6);
        assertEquals(0.3f * 0.5f, find(fused, 2).score, 1e-6);
        assertEquals(0.3f * 0 + 0.7f * 1, find(fused, 3).score, 1e-6);
        assertEquals(0.7f * 0.5f, find(fused, 4).score, 1e-6);
        assertEquals(3, fused[0].doc);
        assertEquals(4, fused[1].doc);
    }

    public void testZScoreAndNone() {
        HybridRankDoc[] z = new HybridFusion(LINEAR, Z_SCORE, 1, 0.000001f, 60).fuse(LEXICAL, SEMANTIC, 10);
        double mean = 5, std = Math.sqrt((25 + 0 + 25) / 3.0);
        assertEquals((10 - mean) / std, find(z, 1).fusedScore(), 1e-3);
        for (HybridRankDoc d : z) {
            assertTrue("Elasticsearch needs positive scores: " + d.score, d.score > 0);
        }
        // the shift keeps differences: doc 1 (z=+1.22) is 2.45 above doc 3 (z=-1.22)
        assertEquals(find(z, 1).fusedScore() - find(z, 3).fusedScore(), find(z, 1).score - find(z, 3).score, 1e-4);
        HybridRankDoc[] none = new HybridFusion(LINEAR, NONE, 1, 1, 60).fuse(LEXICAL, SEMANTIC, 10);
        assertEquals(10.7f, find(none, 1).score, 1e-5);
    }

    public void testMinMaxZeroesAreShiftedToPositive() {
        HybridRankDoc[] fused = new HybridFusion(LINEAR, MIN_MAX, 1, 0.000001f, 60).fuse(LEXICAL, new ScoreDoc[0], 10);
        assertEquals(0f, find(fused, 3).fusedScore(), 0f);
        assertEquals(HybridFusion.POSITIVE_FLOOR, find(fused, 3).score, 1e-9);
        assertEquals(1f, find(fused, 1).fusedScore(), 0f);
    }

    public void testWindowTruncatesAndRanksFollow() {
        HybridRankDoc[] fused = new HybridFusion(RRF, MIN_MAX, 1, 1, 60).fuse(LEXICAL, SEMANTIC, 2);
        assertEquals(2, fused.length);
        assertEquals(2, fused[1].rank);
    }

    public void testASingleScoreNormalisesToOne() {
        HybridRankDoc[] fused = new HybridFusion(LINEAR, MIN_MAX, 1, 1, 60)
                .fuse(new ScoreDoc[] {new ScoreDoc(7, 3f, 1)}, new ScoreDoc[0], 10);
        assertEquals(1f, fused[0].score, 0f);
        assertEquals(1, fused[0].shardIndex);
    }

    private static HybridSideDoc hit(int doc, float score, int shard, String id) {
        return new HybridSideDoc(doc, score, shard, id);
    }

    /** The ids of the fused hits, in order, after checking that the order is the rank order and the scores strictly fall. */
    private static java.util.List<String> order(HybridRankDoc[] fused) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < fused.length; i++) {
            assertEquals(i + 1, fused[i].rank);
            if (i > 0) {
                assertTrue(
                        "scores strictly fall: " + fused[i - 1].score + " then " + fused[i].score,
                        fused[i].score < fused[i - 1].score);
            }
            ids.add(fused[i].id());
        }
        return ids;
    }

    public void testTiesAreBrokenByBestRankThenIdWhateverTheShardLayout() {
        // lexical: four hits of one score (constant_score), in the order one shard layout returns them;
        // semantic: "d" ahead, then "b" and "c" tied
        ScoreDoc[] lexical = {hit(5, 1f, 0, "c"), hit(9, 1f, 1, "a"), hit(2, 1f, 0, "d"), hit(4, 1f, 1, "b")};
        ScoreDoc[] semantic = {hit(2, 0.9f, 0, "d"), hit(5, 0.5f, 0, "c"), hit(4, 0.5f, 1, "b")};
        // the same documents on another layout: other shards, other Lucene doc ids, other order among ties
        ScoreDoc[] lexical2 = {hit(1, 1f, 2, "b"), hit(3, 1f, 0, "d"), hit(0, 1f, 1, "a"), hit(7, 1f, 2, "c")};
        ScoreDoc[] semantic2 = {hit(3, 0.9f, 0, "d"), hit(1, 0.5f, 2, "b"), hit(7, 0.5f, 2, "c")};
        for (HybridFusion fusion : java.util.List.of(
                new HybridFusion(LINEAR, MIN_MAX, 1, 1, 60), new HybridFusion(RRF, MIN_MAX, 1, 1, 60))) {
            HybridRankDoc[] one = fusion.fuse(lexical, semantic, 10);
            HybridRankDoc[] two = fusion.fuse(lexical2, semantic2, 10);
            assertEquals(fusion.toString(), order(one), order(two));
            // lexical ranks by id among the tie: a 1, b 2, c 3, d 4; semantic: d 1, b 2 (b before c), c 3
            assertEquals(1, find(one, 9).lexicalRank());
            assertEquals(2, find(one, 4).semanticRank());
            assertEquals(3, find(one, 5).semanticRank());
            for (int i = 0; i < one.length; i++) {
                assertEquals(one[i].fusedScore(), two[i].fusedScore(), 0f);
                assertEquals(one[i].lexicalRank(), two[i].lexicalRank());
                assertEquals(one[i].semanticRank(), two[i].semanticRank());
            }
        }
        // linear min_max: every lexical hit normalises to 1; semantic d 1, b and c 0 -> d 2, a 1 (lexical only), b 1, c
        // 1;
        // a, b, c tie on fused score and on best rank (a: lexical 1; b: lexical 2, semantic 2; c: 3 and 3): a, then b,
        // then c
        assertEquals(
                java.util.List.of("d", "a", "b", "c"),
                order(new HybridFusion(LINEAR, MIN_MAX, 1, 1, 60).fuse(lexical, semantic, 10)));
    }

    public void testEqualFusedScoresAreTheOnlyOnesNudgedAndOnlyByAFloatStep() {
        ScoreDoc[] lexical = {hit(1, 3f, 0, "x"), hit(2, 3f, 0, "y"), hit(3, 1f, 0, "z")};
        HybridRankDoc[] fused = new HybridFusion(LINEAR, NONE, 1, 1, 60).fuse(lexical, new ScoreDoc[0], 10);
        assertEquals(java.util.List.of("x", "y", "z"), order(fused));
        assertEquals(3f, fused[0].score, 0f);
        assertEquals(Math.nextDown(3f), fused[1].score, 0f);
        assertEquals("the fused value shown is the true one", 3f, fused[1].fusedScore(), 0f);
        assertEquals(1f, fused[2].score, 0f);
    }

    public void testBadParametersNameTheProblem() {
        assertEquals(
                "[weights] must not all be 0",
                expectThrows(IllegalArgumentException.class, () -> new HybridFusion(RRF, NONE, 0, 0, 60))
                        .getMessage());
        expectThrows(IllegalArgumentException.class, () -> new HybridFusion(RRF, NONE, -1, 1, 60));
        expectThrows(IllegalArgumentException.class, () -> new HybridFusion(RRF, NONE, Float.NaN, 1, 60));
        expectThrows(IllegalArgumentException.class, () -> new HybridFusion(RRF, NONE, 1, 1, 0));
        assertEquals(
                "unknown [combination] [sum], expected one of [linear, rrf]",
                expectThrows(IllegalArgumentException.class, () -> org.semanticranking.scoring.Combination.parse("sum"))
                        .getMessage());
        expectThrows(IllegalArgumentException.class, () -> org.semanticranking.scoring.Normalization.parse("l2"));
    }
}
