package org.semanticranking.ranking.store;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.get.GetRequest;
import org.elasticsearch.action.get.GetResponse;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.cache.Cache;
import org.elasticsearch.common.cache.CacheBuilder;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.common.util.concurrent.EsRejectedExecutionException;
import org.elasticsearch.index.IndexNotFoundException;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.search.fetch.subphase.FetchSourceContext;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.transport.TransportService;
import org.semanticranking.ranking.RankingSettings;
import org.semanticranking.ranking.model.Ranker;

/**
 * Loads a ranker with one realtime get of its version (no source), and reads and parses its document only when the
 * node has not cached that version: a tree model is megabytes of JSON, parsed once per version, not once per search.
 * The gets run with the caller's client, so with the caller's privileges on the rankers index.
 */
public final class TransportLoadRankerAction
        extends TransportAction<LoadRankerAction.Request, LoadRankerAction.Response> {

    /**
     * A parsed version: its sequence number and primary term, and the uuid of the index that held it, since a rankers
     * index deleted and created again numbers its documents from 0 once more.
     */
    private record Cached(String indexUuid, long seqNo, long primaryTerm, Ranker ranker) {}

    private final Client client;
    private final ClusterService clusterService;
    private final ThreadPool threadPool;
    private final Cache<String, Cached> cache =
            CacheBuilder.<String, Cached>builder().setMaximumWeight(32).build();

    @Inject
    public TransportLoadRankerAction(
            TransportService transportService,
            ActionFilters actionFilters,
            Client client,
            ClusterService clusterService,
            ThreadPool threadPool) {
        super(
                LoadRankerAction.NAME,
                actionFilters,
                transportService.getTaskManager(),
                EsExecutors.DIRECT_EXECUTOR_SERVICE);
        this.client = client;
        this.clusterService = clusterService;
        this.threadPool = threadPool;
    }

    @Override
    protected void doExecute(
            Task task, LoadRankerAction.Request request, ActionListener<LoadRankerAction.Response> listener) {
        String index = request.rankersIndex() != null
                ? request.rankersIndex()
                : clusterService.getClusterSettings().get(RankingSettings.RANKERS_INDEX);
        String key = index + "/" + request.rankerId();
        // plain listeners, not ActionListener.wrap: an exception thrown by whoever handles the ranker (the search's
        // next
        // rewrite round runs in this call) is theirs, not a second answer of this action
        client.get(
                new GetRequest(index, request.rankerId()).fetchSourceContext(FetchSourceContext.DO_NOT_FETCH_SOURCE),
                new ActionListener<>() {
                    @Override
                    public void onResponse(GetResponse version) {
                        if (version.isExists() == false) {
                            listener.onFailure(RankerStore.unknown(request.rankerId()));
                            return;
                        }
                        Cached cached = cache.get(key);
                        if (cached != null
                                && cached.indexUuid().equals(indexUuid(version.getIndex()))
                                && cached.seqNo() == version.getSeqNo()
                                && cached.primaryTerm() == version.getPrimaryTerm()) {
                            listener.onResponse(new LoadRankerAction.Response(cached.ranker()));
                        } else {
                            load(index, key, request.rankerId(), listener);
                        }
                    }

                    @Override
                    public void onFailure(Exception e) {
                        listener.onFailure(
                                e instanceof IndexNotFoundException ? RankerStore.unknown(request.rankerId()) : e);
                    }
                });
    }

    /** The uuid of the concrete index a get answered from; empty when this node's cluster state does not hold it. */
    private String indexUuid(String concreteIndex) {
        IndexMetadata metadata = clusterService.state().metadata().getProject().index(concreteIndex);
        return metadata == null ? "" : metadata.getIndexUUID();
    }

    private void load(String index, String key, String rankerId, ActionListener<LoadRankerAction.Response> listener) {
        client.get(new GetRequest(index, rankerId), new ActionListener<>() {
            @Override
            public void onResponse(GetResponse doc) {
                // a tree model is megabytes of JSON: parsed off the thread the get answers on (a transport thread when
                // the shard copy is on another node), once per version
                try {
                    threadPool.executor(ThreadPool.Names.SEARCH_COORDINATION).execute(() -> parse(doc));
                } catch (EsRejectedExecutionException e) {
                    listener.onFailure(e);
                }
            }

            private void parse(GetResponse doc) {
                Ranker ranker;
                try {
                    if (doc.isExists() == false) {
                        throw RankerStore.unknown(rankerId);
                    }
                    ranker = Ranker.fromMap(doc.getSourceAsMap());
                } catch (Exception e) {
                    listener.onFailure(e);
                    return;
                }
                cache.put(key, new Cached(indexUuid(doc.getIndex()), doc.getSeqNo(), doc.getPrimaryTerm(), ranker));
                listener.onResponse(new LoadRankerAction.Response(ranker));
            }

            @Override
            public void onFailure(Exception e) {
                listener.onFailure(e instanceof IndexNotFoundException ? RankerStore.unknown(rankerId) : e);
            }
        });
    }
}
