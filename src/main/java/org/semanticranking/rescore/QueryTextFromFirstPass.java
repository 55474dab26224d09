package org.semanticranking.rescore;

import org.elasticsearch.common.Strings;
import org.elasticsearch.common.xcontent.XContentHelper;
import org.elasticsearch.index.query.BoolQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.builder.SubSearchSourceBuilder;
import org.elasticsearch.search.rescore.RescorerBuilder;
import org.elasticsearch.search.retriever.CompoundRetrieverBuilder;
import org.elasticsearch.search.retriever.KnnRetrieverBuilder;
import org.elasticsearch.search.retriever.RetrieverBuilder;
import org.elasticsearch.search.retriever.StandardRetrieverBuilder;
import org.elasticsearch.search.vectors.KnnSearchBuilder;
import org.elasticsearch.xcontent.XContentType;
import org.semanticranking.query.SemanticIntentQueryBuilder;
import org.semanticranking.query.SemanticIntentVectorBuilder;
import org.semanticranking.retriever.SemanticHybridRetrieverBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lets {@code personalized_blend} leave out {@code query_text} when the search already has the shopper's text
 * in a {@code semantic_intent} query (at the top or in a {@code bool}), a {@code knn} section with the
 * {@code semantic_intent} query vector builder, or, for a blend in a {@code semantic_hybrid}'s own {@code rescore},
 * in the hybrid's retrievers (its semantic side first): it copies that text (and model) into the rescorer before the
 * search starts, so both ask the encoder for the same (model, text), which the node's query vector cache
 * and its in-flight coalescing turn into one encode.
 */
public final class QueryTextFromFirstPass {

    private QueryTextFromFirstPass() {}

    /** Run on every search's body before it starts (a {@code SearchSourceFilter}). */
    public static void fill(SearchSourceBuilder source) {
        if (source.retriever() instanceof SemanticHybridRetrieverBuilder hybrid
                && hybrid.rescorers().stream().anyMatch(QueryTextFromFirstPass::needsText)) {
            String[] textAndModel = fromRetriever(hybrid);
            if (textAndModel != null) {
                List<RescorerBuilder<?>> filled = new ArrayList<>();
                for (RescorerBuilder<?> r : hybrid.rescorers()) {
                    filled.add(
                            needsText(r) ? ((QueryTextConsumer) r).withQueryText(textAndModel[0], textAndModel[1]) : r);
                }
                source.retriever(hybrid.withRescorers(filled));
            }
        }
        @SuppressWarnings("rawtypes")
        List<RescorerBuilder> rescores = source.rescores();
        if (rescores == null) {
            return;
        }
        for (int i = 0; i < rescores.size(); i++) {
            if (rescores.get(i) instanceof QueryTextConsumer consumer && consumer.needsQueryText()) {
                String[] textAndModel = firstPassText(source);
                if (textAndModel != null) {
                    rescores.set(i, consumer.withQueryText(textAndModel[0], textAndModel[1]));
                }
            }
        }
    }

    private static boolean needsText(RescorerBuilder<?> rescorer) {
        return rescorer instanceof QueryTextConsumer consumer && consumer.needsQueryText();
    }

    /** The text and model of a {@code semantic_intent} in a retriever (a compound one's children, a hybrid's semantic side first), or {@code null}. */
    static String[] fromRetriever(RetrieverBuilder retriever) {
        if (retriever instanceof SemanticHybridRetrieverBuilder hybrid) {
            String[] found = fromRetriever(hybrid.semantic());
            return found != null ? found : fromRetriever(hybrid.lexical());
        } else if (retriever instanceof CompoundRetrieverBuilder<?> compound) {
            for (CompoundRetrieverBuilder.RetrieverSource child : compound.innerRetrievers()) {
                String[] found = fromRetriever(child.retriever());
                if (found != null) {
                    return found;
                }
            }
        } else if (retriever instanceof StandardRetrieverBuilder standard) {
            // its query has no accessor: it is what the retriever puts in a search
            SearchSourceBuilder extracted = new SearchSourceBuilder();
            standard.extractToSearchSourceBuilder(extracted, false);
            for (SubSearchSourceBuilder sub : extracted.subSearches()) {
                String[] found = fromQuery(sub.getQueryBuilder());
                if (found != null) {
                    return found;
                }
            }
        } else if (retriever instanceof KnnRetrieverBuilder knn) {
            // nor has its query vector builder before the vector is built: read it from the retriever's own XContent,
            // which
            // writes the builder's fields without its name; ours are [text] and [model]
            Map<String, Object> body =
                    XContentHelper.convertToMap(XContentType.JSON.xContent(), Strings.toString(knn), false);
            if (body.get(KnnRetrieverBuilder.NAME) instanceof Map<?, ?> inner
                    && inner.get("query_vector_builder") instanceof Map<?, ?> builder) {
                Object named = builder.get(SemanticIntentVectorBuilder.NAME);
                Map<?, ?> intent = named instanceof Map<?, ?> m ? m : builder;
                if (intent.get(SemanticIntentVectorBuilder.TEXT.getPreferredName()) instanceof String text
                        && java.util.Set.of("text", "model").containsAll(intent.keySet())) {
                    return new String[] {
                        text,
                        intent.get(SemanticIntentVectorBuilder.MODEL.getPreferredName()) instanceof String model
                                ? model
                                : null
                    };
                }
            }
        }
        return null;
    }

    /** The text and model of the request's semantic_intent, or {@code null}. */
    static String[] firstPassText(SearchSourceBuilder source) {
        String[] found = fromQuery(source.query());
        if (found == null && source.knnSearch() != null) {
            for (KnnSearchBuilder knn : source.knnSearch()) {
                if (knn.getQueryVectorBuilder() instanceof SemanticIntentVectorBuilder intent) {
                    return new String[] {intent.text(), intent.model()};
                }
            }
        }
        return found;
    }

    private static String[] fromQuery(QueryBuilder query) {
        if (query instanceof SemanticIntentQueryBuilder intent) {
            return new String[] {intent.encoderText(), intent.model()};
        }
        if (query instanceof BoolQueryBuilder bool) {
            for (List<QueryBuilder> clauses : List.of(bool.must(), bool.should(), bool.filter())) {
                for (QueryBuilder clause : clauses) {
                    String[] found = fromQuery(clause);
                    if (found != null) {
                        return found;
                    }
                }
            }
        }
        return null;
    }
}
