package org.semanticranking.query;

import org.elasticsearch.core.RestApiVersion;
import org.elasticsearch.xcontent.FilterXContentParserWrapper;
import org.elasticsearch.xcontent.NamedXContentRegistry;
import org.elasticsearch.xcontent.XContentParser;

import java.io.IOException;
import java.util.List;

/**
 * The parser a {@code semantic_hybrid} reads its semantic side with. Every {@code semantic_intent} parsed under it
 * (at any depth: the retriever, its queries, their inner queries) gets {@code lexical_fallback}: when the encoder is
 * unavailable and the node's {@code semantic_ranking.hybrid.on_semantic_failure} allows it, the query matches nothing
 * (with a warning) so that the lexical side still answers. The mark is made during the parse and is then a field of
 * the query (on the wire, in {@code equals} and in its XContent), not state on a thread.
 *
 * <p>Elasticsearch wraps parsers of its own while it parses (a top-level query's parser counts nesting depth), so the
 * mark cannot be a type test on the parser a query sees. It is the registry instead: every wrapper asks its delegate
 * for the registry that parses named objects, and this one's marks what it parses.
 */
public final class HybridSemanticSide extends FilterXContentParserWrapper {

    private final NamedXContentRegistry registry;

    public HybridSemanticSide(XContentParser parser) {
        super(parser);
        this.registry = new MarkingRegistry(parser.getXContentRegistry());
    }

    @Override
    public NamedXContentRegistry getXContentRegistry() {
        return registry;
    }

    @Override
    public <T> T namedObject(Class<T> categoryClass, String name, Object context) throws IOException {
        return registry.parseNamedObject(categoryClass, name, this, context);
    }

    /** The node's registry, with each {@code semantic_intent} it parses marked for the lexical fallback. */
    private static final class MarkingRegistry extends NamedXContentRegistry {
        private final NamedXContentRegistry delegate;

        MarkingRegistry(NamedXContentRegistry delegate) {
            super(List.of());
            this.delegate = delegate;
        }

        @Override
        public <T, C> T parseNamedObject(Class<T> categoryClass, String name, XContentParser parser, C context)
                throws IOException {
            T parsed = delegate.parseNamedObject(categoryClass, name, parser, context);
            return parsed instanceof SemanticIntentQueryBuilder query
                    ? categoryClass.cast(query.withLexicalFallback())
                    : parsed;
        }

        @Override
        public boolean hasParser(Class<?> categoryClass, String name, RestApiVersion apiVersion) {
            return delegate.hasParser(categoryClass, name, apiVersion);
        }

        @Override
        public <T> Entry lookupParser(Class<T> categoryClass, String name, XContentParser parser) {
            return delegate.lookupParser(categoryClass, name, parser);
        }
    }
}
