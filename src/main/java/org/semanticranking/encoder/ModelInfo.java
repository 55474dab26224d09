package org.semanticranking.encoder;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the models API says of one model on one node, including the {@code dense_vector} mapping its
 * vectors need, so that an index can be created right the first time.
 *
 * @param reason why a model failed to load ({@code null} when loaded); the other fields are then unknown
 */
public record ModelInfo(
        String name,
        boolean isDefault,
        String reason,
        String source,
        String device,
        int dims,
        String pooling,
        boolean normalize,
        int maxTokens,
        String queryPrefix,
        String documentPrefix,
        String licence,
        String description)
        implements Writeable, ToXContentObject {

    public static List<ModelInfo> of(ModelRegistry registry) {
        List<ModelInfo> infos = new ArrayList<>();
        for (Map.Entry<String, OnnxTextEncoder> e : registry.loaded().entrySet()) {
            ModelManifest m = e.getValue().manifest();
            infos.add(new ModelInfo(
                    m.name(),
                    m.name().equals(registry.defaultModel()),
                    null,
                    e.getValue().source(),
                    e.getValue().device().toString(),
                    m.dims(),
                    m.pooling().toString(),
                    m.normalize(),
                    m.maxTokens(),
                    m.queryPrefix(),
                    m.documentPrefix(),
                    m.licence(),
                    m.description()));
        }
        for (Map.Entry<String, String> e : registry.failed().entrySet()) {
            infos.add(new ModelInfo(
                    e.getKey(),
                    e.getKey().equals(registry.defaultModel()),
                    e.getValue(),
                    null,
                    null,
                    0,
                    null,
                    false,
                    0,
                    null,
                    null,
                    null,
                    null));
        }
        return infos;
    }

    public ModelInfo(StreamInput in) throws IOException {
        this(
                in.readString(),
                in.readBoolean(),
                in.readOptionalString(),
                in.readOptionalString(),
                in.readOptionalString(),
                in.readVInt(),
                in.readOptionalString(),
                in.readBoolean(),
                in.readVInt(),
                in.readOptionalString(),
                in.readOptionalString(),
                in.readOptionalString(),
                in.readOptionalString());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(name);
        out.writeBoolean(isDefault);
        out.writeOptionalString(reason);
        out.writeOptionalString(source);
        out.writeOptionalString(device);
        out.writeVInt(dims);
        out.writeOptionalString(pooling);
        out.writeBoolean(normalize);
        out.writeVInt(maxTokens);
        out.writeOptionalString(queryPrefix);
        out.writeOptionalString(documentPrefix);
        out.writeOptionalString(licence);
        out.writeOptionalString(description);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field("default", isDefault);
        if (reason != null) {
            builder.field("status", "failed");
            builder.field("reason", reason);
            return builder.endObject();
        }
        builder.field("status", "loaded");
        builder.field("source", source);
        builder.field("device", device);
        builder.field("dims", dims);
        builder.field("pooling", pooling);
        builder.field("normalize", normalize);
        builder.field("max_tokens", maxTokens);
        builder.field("query_prefix", queryPrefix);
        builder.field("document_prefix", documentPrefix);
        builder.field("licence", licence);
        builder.field("description", description);
        // the mapping a target field of the semantic_embedding processor needs for this model
        builder.startObject("mapping");
        builder.field("type", "dense_vector");
        builder.field("dims", dims);
        builder.field("index", true);
        builder.field("similarity", "cosine");
        builder.endObject();
        return builder.endObject();
    }
}
