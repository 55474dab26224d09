package org.semanticranking.ranking.feature;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.xcontent.XContentBuilder;
import org.semanticranking.evaluation.SearchTemplate;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * The score of any Elasticsearch query for the hit, 0 when it does not match: {@code {"query": {"match": {"title":
 * "{{query}}"}}}}. The query is a template; its placeholders are filled from the request's params as a search
 * template's are, so a value cannot break out of its place.
 */
public record QueryFeature(String name, Map<String, Object> query) implements Feature {

    public static final String KIND = "query";

    public QueryFeature {
        query = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(query));
    }

    QueryFeature(String name, StreamInput in) throws IOException {
        this(name, in.readGenericMap());
    }

    public SearchTemplate template() {
        return SearchTemplate.of(query);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Set<String> placeholders() {
        return template().placeholders();
    }

    @Override
    public void kindToXContent(XContentBuilder builder, Params params) throws IOException {
        builder.field(KIND, query);
    }

    @Override
    public void writeKind(StreamOutput out) throws IOException {
        out.writeGenericMap(query);
    }
}
