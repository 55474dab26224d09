package org.semanticranking.retriever;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.search.rank.RankDoc;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Objects;

/**
 * One hit of a {@code semantic_hybrid} side's top list, with its {@code _id}: the id is what breaks ties the same way
 * on every shard layout (Lucene doc ids and shard indices change with it), both within a side and in the fused list.
 */
public final class HybridSideDoc extends RankDoc {

    public static final String NAME = "semantic_hybrid_side_doc";

    private final String id;

    public HybridSideDoc(int doc, float score, int shardIndex, String id) {
        super(doc, score, shardIndex);
        this.id = id;
    }

    public HybridSideDoc(StreamInput in) throws IOException {
        super(in);
        this.id = in.readOptionalString();
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeOptionalString(id);
    }

    /** The hit's {@code _id}, or {@code null} when the side's search did not return it. */
    public String id() {
        return id;
    }

    @Override
    protected void doToXContent(XContentBuilder builder, Params params) throws IOException {
        builder.field("_id", id);
    }

    @Override
    protected boolean doEquals(RankDoc rd) {
        return Objects.equals(id, ((HybridSideDoc) rd).id);
    }

    @Override
    protected int doHashCode() {
        return Objects.hashCode(id);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }
}
