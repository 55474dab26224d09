package org.semanticranking.interleaving;

import org.apache.lucene.search.Explanation;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.search.rank.RankDoc;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Objects;

/**
 * One hit of an {@code interleave}: the side a click on it credits ({@code both}: neither), its rank in that side's
 * list, what a click credits side {@code a} (negative: side {@code b}), the experiment.
 */
public final class InterleaveRankDoc extends RankDoc {

    public static final String NAME = "semantic_ranking_interleave_rank_doc";
    static final String[] SIDES = {"a", "b", "both"};

    private final int side;
    private final int sideRank;
    private final double credit;
    private final String experiment;

    public InterleaveRankDoc(
            int doc, float score, int shardIndex, int side, int sideRank, double credit, String experiment) {
        super(doc, score, shardIndex);
        this.side = side;
        this.sideRank = sideRank;
        this.credit = credit;
        this.experiment = experiment;
    }

    public InterleaveRankDoc(StreamInput in) throws IOException {
        super(in);
        side = in.readVInt();
        sideRank = in.readVInt();
        credit = in.readDouble();
        experiment = in.readOptionalString();
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeVInt(side);
        out.writeVInt(sideRank);
        out.writeDouble(credit);
        out.writeOptionalString(experiment);
    }

    public String side() {
        return SIDES[side];
    }

    public int sideRank() {
        return sideRank;
    }

    /** What a click on this hit credits side {@code a}; negative: side {@code b}. */
    public double credit() {
        return credit;
    }

    public String experiment() {
        return experiment;
    }

    @Override
    public Explanation explain(Explanation[] sources, String[] queryNames) {
        return Explanation.match(
                score,
                "interleave: credits side [" + side() + "] (its rank " + sideRank + ", credit " + credit + ") at rank ["
                        + rank + "]",
                sources);
    }

    @Override
    protected void doToXContent(XContentBuilder builder, Params params) throws IOException {
        builder.field("side", side());
        builder.field("side_rank", sideRank);
        builder.field("credit", credit);
        if (experiment != null) {
            builder.field("experiment", experiment);
        }
    }

    @Override
    protected boolean doEquals(RankDoc rd) {
        InterleaveRankDoc o = (InterleaveRankDoc) rd;
        return side == o.side
                && sideRank == o.sideRank
                && Double.compare(credit, o.credit) == 0
                && Objects.equals(experiment, o.experiment);
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(side, sideRank, credit, experiment);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }
}
