package org.semanticranking.personalization.events;

import org.elasticsearch.action.support.IndicesOptions;
import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.metadata.ProjectMetadata;
import org.semanticranking.mapping.FieldMappings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields the build, the training and the rescorer search, sort and aggregate the interactions index on. With the
 * documented mapping they are the event fields themselves; an index mapped dynamically (what a user gets before
 * creating it: {@code user_id} as {@code text} with a {@code .keyword} sub-field) is read through its keyword
 * sub-fields. A mapping that has neither is refused with a 400 naming each field and showing the mapping to create,
 * instead of Elasticsearch's "Fielddata is disabled" or a term query that silently matches nothing.
 *
 * <p>Events are still read from {@code _source} by their own names ({@link InteractionEvent#fromSource}).
 */
public record InteractionFields(
        String userId, String productId, String type, String impressionId, String position, String timestamp) {

    /** The documented mapping's fields, and what an index that does not exist yet will have. */
    public static final InteractionFields DOCUMENTED = new InteractionFields(
            InteractionEvent.USER_ID,
            InteractionEvent.PRODUCT_ID,
            InteractionEvent.TYPE,
            InteractionEvent.IMPRESSION_ID,
            InteractionEvent.POSITION,
            InteractionEvent.TIMESTAMP);

    private static final Set<String> KEYWORDS = Set.of("keyword", "constant_keyword", "wildcard");
    private static final Set<String> TEXTS = Set.of("text", "match_only_text");
    private static final Set<String> NUMBERS = Set.of("long", "integer", "short", "byte", "unsigned_long");
    private static final Set<String> DATES = Set.of("date", "date_nanos");
    private static final Set<String> DECIMALS = Set.of("float", "double", "half_float", "scaled_float");

    /** What a role of a field accepts besides keywords. */
    private enum Kind {
        /** an id: a keyword, or a whole number (ids logged as numbers) */
        ID,
        /** a keyword only */
        KEYWORD,
        /** a whole number */
        NUMBER,
        /** a number, whole or not */
        DECIMAL,
        /** a date */
        DATE
    }

    /** The fields of the interactions indices that {@code index} (a name, alias or pattern) resolves to on this node. */
    public static InteractionFields resolve(
            String api, String index, ProjectMetadata project, IndexNameExpressionResolver resolver) {
        return resolve(api, index, concrete(index, project, resolver));
    }

    /**
     * The path to aggregate one of the events' optional keyword fields on ({@code query}, {@code experiment},
     * {@code side}): itself when it is a keyword, its keyword sub-field when it is text (the documented mapping's
     * {@code query.keyword}). Only some APIs need them, so they are not among the fields every reader of the events
     * checks.
     */
    public static String keywordField(
            String api, String index, String name, ProjectMetadata project, IndexNameExpressionResolver resolver) {
        return keywordField(api, index, name, concrete(index, project, resolver));
    }

    /**
     * The path to sum one of the events' optional numeric fields on ({@code credit}); unmapped (no event had it yet) is
     * fine, a field of another type is a 400.
     */
    public static String decimalField(
            String api, String index, String name, ProjectMetadata project, IndexNameExpressionResolver resolver) {
        return decimalField(api, index, name, concrete(index, project, resolver));
    }

    static String decimalField(String api, String index, String name, Map<String, IndexMetadata> indices) {
        return optionalField(
                api, index, name, Kind.DECIMAL, indices, "summed", "map it as [float] as the documented mapping does");
    }

    /** The open indices {@code index} (a name, alias or pattern) resolves to, with their metadata. */
    private static Map<String, IndexMetadata> concrete(
            String index, ProjectMetadata project, IndexNameExpressionResolver resolver) {
        Map<String, IndexMetadata> indices = new LinkedHashMap<>();
        for (String name : resolver.concreteIndexNames(project, IndicesOptions.lenientExpandOpen(), index)) {
            indices.put(name, project.index(name));
        }
        return indices;
    }

    static String keywordField(String api, String index, String name, Map<String, IndexMetadata> indices) {
        return optionalField(
                api,
                index,
                name,
                Kind.KEYWORD,
                indices,
                "aggregated",
                "map it as [keyword], or as [text] with a [keyword] sub-field as the documented mapping does");
    }

    /** An optional field's path; a 400 saying how to map it when an index maps it unusably for {@code use}. */
    private static String optionalField(
            String api,
            String index,
            String name,
            Kind kind,
            Map<String, IndexMetadata> indices,
            String use,
            String howToMap) {
        List<String> problems = new ArrayList<>();
        String path = field(name, kind, indices, problems);
        if (problems.isEmpty() == false) {
            throw new IllegalArgumentException("[" + api + "] the events' [" + name + "] of [" + index + "] cannot be "
                    + use + ": " + String.join("; ", problems) + "; " + howToMap);
        }
        return path;
    }

    /** @param indices the concrete indices with their metadata; none (the index does not exist yet) gives {@link #DOCUMENTED} */
    static InteractionFields resolve(String api, String index, Map<String, IndexMetadata> indices) {
        List<String> problems = new ArrayList<>();
        InteractionFields fields = new InteractionFields(
                field(InteractionEvent.USER_ID, Kind.ID, indices, problems),
                field(InteractionEvent.PRODUCT_ID, Kind.ID, indices, problems),
                field(InteractionEvent.TYPE, Kind.KEYWORD, indices, problems),
                field(InteractionEvent.IMPRESSION_ID, Kind.ID, indices, problems),
                field(InteractionEvent.POSITION, Kind.NUMBER, indices, problems),
                field(InteractionEvent.TIMESTAMP, Kind.DATE, indices, problems));
        if (problems.isEmpty() == false) {
            throw new IllegalArgumentException("[" + api + "] the interactions index [" + index
                    + "] cannot be read as events: " + String.join("; ", problems)
                    + ". [user_id], [product_id], [type] and [impression_id] must be [keyword] (or [text] with a [keyword] sub-field),"
                    + " [position] an [integer] and [@timestamp] a [date]. Create the index with this mapping (or reindex the events into"
                    + " one that has it): PUT " + index + " {\"mappings\":"
                    + InteractionEvent.MAPPING.replace("\n", "").replaceAll(" {2,}", "") + "}");
        }
        return fields;
    }

    /** The path to search one field on, the same in every index; a problem added when an index maps it unusably. */
    private static String field(String name, Kind kind, Map<String, IndexMetadata> indices, List<String> problems) {
        String path = null;
        for (Map.Entry<String, IndexMetadata> e : indices.entrySet()) {
            if (e.getValue() == null || e.getValue().mapping() == null) {
                continue;
            }
            FieldMappings.Field mapping = FieldMappings.field(e.getValue().mapping(), name);
            if (mapping.isMapped() == false) {
                continue; // no event had it yet: a query on it matches nothing, an aggregation is empty, as they should
                // be
            }
            String here = usable(name, kind, mapping);
            if (here == null) {
                problems.add("[" + name + "] is [" + mapping.type() + "]"
                        + (TEXTS.contains(mapping.type()) ? " with no [keyword] sub-field" : "") + " in [" + e.getKey()
                        + "]");
                return name;
            }
            if (path != null && path.equals(here) == false) {
                problems.add("[" + name + "] is searched as [" + path + "] in one index and as [" + here + "] in ["
                        + e.getKey() + "]");
                return name;
            }
            path = here;
        }
        return path != null ? path : name;
    }

    private static String usable(String name, Kind kind, FieldMappings.Field mapping) {
        String type = mapping.type();
        boolean ok = switch (kind) {
            case ID -> KEYWORDS.contains(type) || NUMBERS.contains(type);
            case KEYWORD -> KEYWORDS.contains(type);
            case NUMBER -> NUMBERS.contains(type);
            case DECIMAL -> NUMBERS.contains(type) || DECIMALS.contains(type);
            case DATE -> DATES.contains(type);
        };
        if (ok) {
            return name;
        }
        if ((kind == Kind.ID || kind == Kind.KEYWORD) && TEXTS.contains(type)) {
            // a dynamic mapping's ".keyword" first, else any keyword sub-field
            if (KEYWORDS.contains(mapping.subFieldTypes().getOrDefault("keyword", ""))) {
                return name + ".keyword";
            }
            for (Map.Entry<String, String> sub : mapping.subFieldTypes().entrySet()) {
                if (KEYWORDS.contains(sub.getValue())) {
                    return name + "." + sub.getKey();
                }
            }
        }
        return null;
    }
}
