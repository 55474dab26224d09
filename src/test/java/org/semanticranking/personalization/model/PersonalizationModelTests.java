package org.semanticranking.personalization.model;

import org.elasticsearch.common.Strings;
import org.elasticsearch.common.io.stream.BytesStreamOutput;
import org.elasticsearch.test.ESTestCase;
import org.elasticsearch.xcontent.ToXContent;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParserConfiguration;
import org.elasticsearch.xcontent.json.JsonXContent;
import org.semanticranking.personalization.FeatureSpec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A stored model reads back as it was written, and one stored before {@code price_lift} existed still reads. */
public class PersonalizationModelTests extends ESTestCase {

    static PersonalizationModel model(FeatureSpec spec) {
        int d = spec.featureNames().size();
        double[] w = new double[d], m = new double[d], s = new double[d];
        for (int i = 0; i < d; i++) {
            w[i] = 0.1 * (i + 1);
            m[i] = 0.01 * i;
            s[i] = 1 + i;
        }
        return new PersonalizationModel(
                "m", 3, spec, 5, new LogisticRegression.Fit(m, s, w, -0.5, 12), Map.of("auc", 0.7));
    }

    static Map<String, Object> stored(PersonalizationModel model) throws IOException {
        XContentBuilder b = JsonXContent.contentBuilder();
        model.toXContent(b, ToXContent.EMPTY_PARAMS);
        try (var parser =
                JsonXContent.jsonXContent.createParser(XContentParserConfiguration.EMPTY, Strings.toString(b))) {
            return parser.map();
        }
    }

    public void testReadsBackWhatItStores() throws IOException {
        for (FeatureSpec spec : List.of(
                new FeatureSpec("v", List.of("brand"), "price", "pop"),
                new FeatureSpec("v", List.of("brand"), "price", "pop").withoutPriceLift(),
                new FeatureSpec("v", List.of("brand"), "price", "pop", "ctr"),
                new FeatureSpec("v", List.of(), null, null, "ctr"),
                new FeatureSpec("v", List.of(), null, null))) {
            PersonalizationModel model = model(spec);
            assertEquals(spec.toString(), model, PersonalizationModel.fromMap(stored(model)));
            BytesStreamOutput out = new BytesStreamOutput();
            model.writeTo(out);
            assertEquals(
                    spec.toString(), model, new PersonalizationModel(out.bytes().streamInput()));
        }
    }

    @SuppressWarnings("unchecked")
    public void testAModelStoredBeforePriceLiftReadsWithoutIt() throws IOException {
        Map<String, Object> source = stored(model(new FeatureSpec("v", List.of("brand"), "price", "pop")));
        List<Map<String, Object>> features = new ArrayList<>((List<Map<String, Object>>) source.get("features"));
        features.removeIf(f -> f.get("name").equals(FeatureSpec.PRICE_LIFT));
        source.put("features", features);
        PersonalizationModel old = PersonalizationModel.fromMap(source);
        assertFalse(old.spec().priceLift());
        assertEquals(
                List.of("user_vector_cosine", "session_vector_cosine", "affinity.brand", "price_fit", "popularity"),
                old.spec().featureNames());
        assertEquals(5, new FeatureExtractor(old.spec()).size());
        assertTrue(new FeatureSpec("v", List.of(), "price", null).priceLift());
        assertNull(
                "a model stored before click_lift names no click_lift_field",
                old.spec().clickLiftField());
    }
}
