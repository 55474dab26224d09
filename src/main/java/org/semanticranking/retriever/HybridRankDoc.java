package org.semanticranking.retriever;

import org.apache.lucene.search.Explanation;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.search.rank.RankDoc;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Objects;

/** One fused hit of {@code semantic_hybrid}: the fused score, and each side's raw score and rank (0 when absent). */
public final class HybridRankDoc extends RankDoc {

    public static final String NAME = "semantic_hybrid_rank_doc";

    private float lexicalScore = Float.NaN;
    private int lexicalRank = NO_RANK;
    private float semanticScore = Float.NaN;
    private int semanticRank = NO_RANK;
    /** The fused value before any shift to positive scores (see {@link HybridFusion}). */
    private float fusedScore = Float.NaN;
    /** Whether the hit shows its breakdown in {@code fields} (the retriever's {@code score_breakdown}). */
    private boolean scoreBreakdown;
    /** The hit's {@code _id} where a side returned it: the fusion's tie-break, needed on the coordinating node only. */
    private String id;

    public HybridRankDoc(int doc, float score, int shardIndex) {
        super(doc, score, shardIndex);
    }

    public HybridRankDoc(StreamInput in) throws IOException {
        super(in);
        lexicalScore = in.readFloat();
        lexicalRank = in.readInt();
        semanticScore = in.readFloat();
        semanticRank = in.readInt();
        fusedScore = in.readFloat();
        scoreBreakdown = in.readBoolean();
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeFloat(lexicalScore);
        out.writeInt(lexicalRank);
        out.writeFloat(semanticScore);
        out.writeInt(semanticRank);
        out.writeFloat(fusedScore);
        out.writeBoolean(scoreBreakdown);
    }

    void lexical(float score, int rank) {
        this.lexicalScore = score;
        this.lexicalRank = rank;
    }

    void semantic(float score, int rank) {
        this.semanticScore = score;
        this.semanticRank = rank;
    }

    void id(String value) {
        if (value != null) {
            this.id = value;
        }
    }

    String id() {
        return id;
    }

    void fusedScore(float value) {
        this.fusedScore = value;
    }

    public float fusedScore() {
        return fusedScore;
    }

    void scoreBreakdown(boolean value) {
        this.scoreBreakdown = value;
    }

    public boolean scoreBreakdown() {
        return scoreBreakdown;
    }

    public int lexicalRank() {
        return lexicalRank;
    }

    public int semanticRank() {
        return semanticRank;
    }

    public float lexicalScore() {
        return lexicalScore;
    }

    public float semanticScore() {
        return semanticScore;
    }

    int bestRank() {
        int l = lexicalRank == NO_RANK ? Integer.MAX_VALUE : lexicalRank;
        int s = semanticRank == NO_RANK ? Integer.MAX_VALUE : semanticRank;
        return Math.min(l, s);
    }

    @Override
    public Explanation explain(Explanation[] sources, String[] queryNames) {
        return Explanation.match(
                score,
                "semantic_hybrid: fused score [" + fusedScore + "] at rank [" + rank + "]: lexical "
                        + side(lexicalScore, lexicalRank) + ", semantic " + side(semanticScore, semanticRank),
                sources);
    }

    private static String side(float score, int rank) {
        return rank == NO_RANK ? "[not in its top list]" : "[score " + score + ", rank " + rank + "]";
    }

    @Override
    protected void doToXContent(XContentBuilder builder, Params params) throws IOException {
        builder.field("fused_score", fusedScore);
        builder.field("lexical_rank", lexicalRank);
        builder.field("lexical_score", lexicalScore);
        builder.field("semantic_rank", semanticRank);
        builder.field("semantic_score", semanticScore);
    }

    @Override
    protected boolean doEquals(RankDoc rd) {
        HybridRankDoc o = (HybridRankDoc) rd;
        return lexicalRank == o.lexicalRank
                && semanticRank == o.semanticRank
                && Float.compare(lexicalScore, o.lexicalScore) == 0
                && Float.compare(semanticScore, o.semanticScore) == 0
                && Float.compare(fusedScore, o.fusedScore) == 0;
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(lexicalRank, semanticRank, lexicalScore, semanticScore, fusedScore);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }
}
