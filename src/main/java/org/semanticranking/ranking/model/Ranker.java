package org.semanticranking.ranking.model;

import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;
import org.semanticranking.ranking.feature.Feature;
import org.semanticranking.ranking.feature.FeatureParser;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A trained ranker as stored: its features (the definitions, copied in even when training named a feature set, so
 * that a later change of the set cannot change what the model reads), the model, and what its training measured.
 */
public record Ranker(
        String rankerId,
        long version,
        long createdMillis,
        List<Feature> features,
        RankerModel model,
        Map<String, Object> training)
        implements ToXContentObject {

    public static final String MAPPING = """
        {"dynamic":false,"properties":{"ranker_id":{"type":"keyword"},"version":{"type":"long"},
         "created":{"type":"date"},"features":{"type":"object","enabled":false},
         "model":{"type":"object","enabled":false},"training":{"type":"object","enabled":false}}}""";

    public Ranker {
        features = List.copyOf(features);
        if (features.size() != model.featureCount()) {
            throw new IllegalArgumentException("ranker [" + rankerId + "] has " + features.size()
                    + " features but its model reads " + model.featureCount());
        }
    }

    public List<String> featureNames() {
        return features.stream().map(Feature::name).toList();
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject()
                .field("ranker_id", rankerId)
                .field("version", version)
                .timestampFieldsFromUnixEpochMillis("created", "created_string", createdMillis);
        builder.startArray("features");
        for (Feature f : features) {
            f.toXContent(builder, params);
        }
        builder.endArray();
        builder.field("model", model);
        builder.field("training", training);
        return builder.endObject();
    }

    @SuppressWarnings("unchecked")
    public static Ranker fromMap(Map<String, Object> source) {
        return new Ranker(
                (String) source.get("ranker_id"),
                ((Number) source.get("version")).longValue(),
                ((Number) source.get("created")).longValue(),
                FeatureParser.fromList(source.get("features")),
                RankerModel.fromMap((Map<String, Object>) source.get("model")),
                (Map<String, Object>) source.getOrDefault("training", Map.of()));
    }
}
