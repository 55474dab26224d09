package org.semanticranking.common;

import org.apache.lucene.util.SetOnce;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.index.query.QueryRewriteAsyncAction;
import org.elasticsearch.index.query.QueryRewriteContext;

import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The plugin's async rewrite actions that fetch one thing for one builder (a ranker, a feature set, a shopper's
 * context, vocabularies), registered as unique actions of their own.
 *
 * <p>Why not {@link QueryRewriteContext#registerAsyncAction}: Elasticsearch 9.5's {@code executeAsyncActions} runs the
 * plain actions first and only then copies and clears the unique ones. A plain action that completes on another thread
 * before that clear starts the next rewrite round there; the encodes that round registers as unique actions can be
 * cleared unseen by the first thread, and the search goes to the shards with a builder still waiting for them (the
 * learned-ranking benchmark hit it about once in several thousand served searches: a ranker load, then the features'
 * encodes). With every action unique, the first thread touches only its own copy once it starts executing them.
 */
public final class RewriteActions {

    private RewriteActions() {}

    /** Registers the fetch; the supplier gives its result once the rewrite's async actions have run, null before. */
    public static <T> Supplier<T> fetch(QueryRewriteContext context, BiConsumer<Client, ActionListener<T>> fetch) {
        SetOnce<T> result = new SetOnce<>();
        context.registerUniqueAsyncAction(new Fetch<>(fetch), result::set);
        return result::get;
    }

    /** One fetch, equal only to itself: two builders never share it. */
    private static final class Fetch<T> extends QueryRewriteAsyncAction<T, Fetch<T>> {
        private final BiConsumer<Client, ActionListener<T>> fetch;

        Fetch(BiConsumer<Client, ActionListener<T>> fetch) {
            this.fetch = fetch;
        }

        @Override
        protected void execute(Client client, ActionListener<T> listener) {
            fetch.accept(client, listener);
        }

        @Override
        public int doHashCode() {
            return System.identityHashCode(this);
        }

        @Override
        public boolean doEquals(Fetch<T> other) {
            return this == other;
        }
    }
}
