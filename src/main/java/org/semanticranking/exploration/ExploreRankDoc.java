package org.semanticranking.exploration;

import org.apache.lucene.search.Explanation;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.search.rank.RankDoc;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Objects;

/** One hit of an {@code explore}: its rank in the ranking explored, and whether an exploration slot drew it. */
public final class ExploreRankDoc extends RankDoc {

    public static final String NAME = "semantic_ranking_explore_rank_doc";

    private final int rankedAt;
    private final boolean explored;

    public ExploreRankDoc(int doc, float score, int shardIndex, int rankedAt, boolean explored) {
        super(doc, score, shardIndex);
        this.rankedAt = rankedAt;
        this.explored = explored;
    }

    public ExploreRankDoc(StreamInput in) throws IOException {
        super(in);
        rankedAt = in.readVInt();
        explored = in.readBoolean();
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeVInt(rankedAt);
        out.writeBoolean(explored);
    }

    /** The hit's rank (1-based) in the ranking explored. */
    public int rankedAt() {
        return rankedAt;
    }

    public boolean explored() {
        return explored;
    }

    @Override
    public Explanation explain(Explanation[] sources, String[] queryNames) {
        return Explanation.match(
                score,
                "explore: " + (explored ? "drawn for" : "kept at") + " rank [" + rank + "], ranked " + rankedAt
                        + " by the ranking explored",
                sources);
    }

    @Override
    protected void doToXContent(XContentBuilder builder, Params params) throws IOException {
        builder.field("ranked_at", rankedAt);
        builder.field("explored", explored);
    }

    @Override
    protected boolean doEquals(RankDoc rd) {
        ExploreRankDoc o = (ExploreRankDoc) rd;
        return rankedAt == o.rankedAt && explored == o.explored;
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(rankedAt, explored);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }
}
