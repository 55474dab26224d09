package org.semanticranking.retriever;

import org.apache.lucene.search.ScoreDoc;
import org.elasticsearch.TransportVersion;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.search.rank.RankShardResult;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/** One shard's two top lists (Lucene doc and score, best first), sent from its query phase to the coordinating node. */
public final class HybridShardResult implements RankShardResult {

    public static final String NAME = "semantic_hybrid_shard_result";

    private final ScoreDoc[] lexical;
    private final ScoreDoc[] semantic;

    HybridShardResult(ScoreDoc[] lexical, ScoreDoc[] semantic) {
        this.lexical = Objects.requireNonNull(lexical);
        this.semantic = Objects.requireNonNull(semantic);
    }

    public HybridShardResult(StreamInput in) throws IOException {
        this.lexical = readDocs(in);
        this.semantic = readDocs(in);
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        writeDocs(out, lexical);
        writeDocs(out, semantic);
    }

    private static ScoreDoc[] readDocs(StreamInput in) throws IOException {
        ScoreDoc[] docs = new ScoreDoc[in.readVInt()];
        for (int i = 0; i < docs.length; i++) {
            docs[i] = new ScoreDoc(in.readVInt(), in.readFloat());
        }
        return docs;
    }

    private static void writeDocs(StreamOutput out, ScoreDoc[] docs) throws IOException {
        out.writeVInt(docs.length);
        for (ScoreDoc doc : docs) {
            out.writeVInt(doc.doc);
            out.writeFloat(doc.score);
        }
    }

    ScoreDoc[] lexical() {
        return lexical;
    }

    ScoreDoc[] semantic() {
        return semantic;
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    public TransportVersion getMinimalSupportedVersion() {
        return TransportVersion.minimumCompatible();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HybridShardResult other
                && Arrays.equals(docsAndScores(lexical), docsAndScores(other.lexical))
                && Arrays.equals(docsAndScores(semantic), docsAndScores(other.semantic));
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(docsAndScores(lexical)), Arrays.hashCode(docsAndScores(semantic)));
    }

    /** ScoreDoc has no equals: compare what is sent. */
    private static long[] docsAndScores(ScoreDoc[] docs) {
        long[] out = new long[docs.length];
        for (int i = 0; i < docs.length; i++) {
            out[i] = ((long) docs[i].doc << 32) | (Float.floatToIntBits(docs[i].score) & 0xffffffffL);
        }
        return out;
    }
}
