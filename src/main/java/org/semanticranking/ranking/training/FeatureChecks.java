package org.semanticranking.ranking.training;

import org.elasticsearch.ExceptionsHelper;
import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.xcontent.NamedXContentRegistry;
import org.elasticsearch.xcontent.XContentParser;
import org.elasticsearch.xcontent.XContentParserConfiguration;
import org.elasticsearch.xcontent.json.JsonXContent;
import org.semanticranking.evaluation.JudgedRequest;
import org.semanticranking.ranking.feature.Feature;
import org.semanticranking.ranking.feature.QueryFeature;

import java.util.List;

/**
 * Checks a training's features against every request before any search: each placeholder filled by the request's
 * params, each feature query parsing once filled. A 400 naming the feature and the request, instead of a failure
 * halfway through the candidates.
 */
public final class FeatureChecks {

    private FeatureChecks() {}

    public static void check(List<Feature> features, List<JudgedRequest> requests, NamedXContentRegistry registry) {
        for (JudgedRequest r : requests) {
            for (Feature f : features) {
                for (String name : f.placeholders()) {
                    if (r.params().get(name) == null) {
                        throw new IllegalArgumentException("[" + TrainingRequest.API + "] feature [" + f.name()
                                + "] reads [{{" + name + "}}], which request [" + r.id() + "] does not give");
                    }
                }
                if (f instanceof QueryFeature q) {
                    String json = q.template().render(r.id(), r.params());
                    try (XContentParser parser = JsonXContent.jsonXContent.createParser(
                            XContentParserConfiguration.EMPTY.withRegistry(registry), json)) {
                        AbstractQueryBuilder.parseTopLevelQuery(parser);
                    } catch (Exception e) {
                        throw new IllegalArgumentException(
                                "[" + TrainingRequest.API + "] feature [" + f.name() + "]: its query does not parse "
                                        + "for request [" + r.id() + "]: "
                                        + ExceptionsHelper.unwrapCause(e).getMessage(),
                                e);
                    }
                }
            }
        }
    }
}
