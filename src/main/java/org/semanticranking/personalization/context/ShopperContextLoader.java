package org.semanticranking.personalization.context;

import org.elasticsearch.ExceptionsHelper;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.get.GetRequest;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.action.support.RefCountingListener;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.index.IndexNotFoundException;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.sort.SortOrder;
import org.semanticranking.personalization.FeatureSpec;
import org.semanticranking.personalization.ProductLookup;
import org.semanticranking.personalization.ProductSignals;
import org.semanticranking.personalization.Vectors;
import org.semanticranking.personalization.events.InteractionEvent;
import org.semanticranking.personalization.events.InteractionFields;
import org.semanticranking.personalization.events.InteractionType;
import org.semanticranking.personalization.model.PersonalizationModel;
import org.semanticranking.personalization.model.PersonalizationModels;
import org.semanticranking.personalization.profile.UserProfile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fetches a {@link ShopperContext} with the caller's client (so with the caller's privileges): the model,
 * then the profile and the latest events in parallel, then the vectors of the products of those events.
 * What cannot be found (no profile, no events, an index the caller may not read) becomes a note and
 * personalization 0; only an unknown model is an error.
 */
public final class ShopperContextLoader {

    /**
     * @param userId         the shopper, or {@code null} with an inline profile
     * @param inlineProfile  a profile given in the request, used instead of the profiles index
     * @param productIndices where the products of the session events are looked up by {@code _id}
     * @param vectorField    the product vector field
     * @param sessionSize    how many latest events make the session vector; {@code null} for the model's (or 10)
     */
    public record Request(
            String userId,
            UserProfile inlineProfile,
            String profilesIndex,
            String interactionsIndex,
            String[] productIndices,
            String vectorField,
            String modelId,
            String modelsIndex,
            Integer sessionSize) {}

    private ShopperContextLoader() {}

    /**
     * @param eventFields the fields to read the interactions index on ({@link InteractionFields#resolve}), or {@code null}
     *                    when its mapping cannot be read as events: then no session, and {@code eventFieldsProblem} says why
     */
    public static void load(
            Client client,
            Request request,
            InteractionFields eventFields,
            String eventFieldsProblem,
            ActionListener<ShopperContext> listener) {
        if (request.modelId() == null) {
            loadShopper(client, request, eventFields, eventFieldsProblem, null, listener);
        } else {
            PersonalizationModels.get(
                    client,
                    request.modelsIndex(),
                    request.modelId(),
                    listener.delegateFailureAndWrap(
                            (l, model) -> loadShopper(client, request, eventFields, eventFieldsProblem, model, l)));
        }
    }

    private static void loadShopper(
            Client client,
            Request request,
            InteractionFields eventFields,
            String eventFieldsProblem,
            PersonalizationModel model,
            ActionListener<ShopperContext> listener) {
        List<String> notes = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<UserProfile> profile = new AtomicReference<>(request.inlineProfile());
        AtomicReference<float[]> session = new AtomicReference<>();
        AtomicReference<List<float[]>> recent = new AtomicReference<>(List.of());
        int sessionSize = request.sessionSize() != null
                ? request.sessionSize()
                : model != null ? model.sessionSize() : PersonalizationModel.DEFAULT_SESSION_SIZE;
        try (RefCountingListener refs = new RefCountingListener(listener.map(v -> {
            if (profile.get() == null && session.get() == null) {
                notes.add(
                        0,
                        "no personalization for "
                                + (request.userId() == null ? "this request" : "user [" + request.userId() + "]")
                                + ": personalization is 0 for every hit");
            }
            return new ShopperContext(profile.get(), session.get(), recent.get(), model, notes);
        }))) {
            if (request.inlineProfile() == null && request.userId() != null) {
                ActionListener<Void> done = refs.acquire();
                // map, not ActionListener.wrap: what the last ref runs (the search's next rewrite round) is not this
                // read's failure
                client.get(
                        new GetRequest(request.profilesIndex(), request.userId()),
                        tolerant(done, request.profilesIndex(), notes).map(response -> {
                            if (response.isExists()) {
                                profile.set(UserProfile.fromMap(request.userId(), response.getSourceAsMap()));
                            } else {
                                notes.add("user [" + request.userId() + "] has no profile in ["
                                        + request.profilesIndex() + "]");
                            }
                            return null;
                        }));
            }
            if (request.userId() != null && sessionSize > 0) {
                if (eventFields == null) {
                    notes.add("no session vector: " + eventFieldsProblem);
                } else {
                    loadSession(client, request, eventFields, sessionSize, notes, session, recent, refs.acquire());
                }
            }
        }
    }

    private static void loadSession(
            Client client,
            Request request,
            InteractionFields fields,
            int sessionSize,
            List<String> notes,
            AtomicReference<float[]> session,
            AtomicReference<List<float[]>> recent,
            ActionListener<Void> done) {
        SearchRequest events = new SearchRequest(request.interactionsIndex())
                .source(new SearchSourceBuilder()
                        .query(QueryBuilders.boolQuery()
                                .filter(QueryBuilders.termQuery(fields.userId(), request.userId()))
                                // exposures (views inside an impression) are not interest: training leaves them out of
                                // the session too
                                .mustNot(QueryBuilders.boolQuery()
                                        .filter(QueryBuilders.termQuery(fields.type(), InteractionType.VIEW.value()))
                                        .filter(QueryBuilders.existsQuery(fields.impressionId()))))
                        .sort(fields.timestamp(), SortOrder.DESC)
                        .size(sessionSize)
                        .fetchSource(new String[] {InteractionEvent.PRODUCT_ID}, null)
                        .trackTotalHits(false));
        client.search(events, new ActionListener<>() {
            @Override
            public void onResponse(SearchResponse response) {
                List<String> productIds = new ArrayList<>();
                for (SearchHit hit : response.getHits().getHits()) {
                    Object id = hit.getSourceAsMap().get(InteractionEvent.PRODUCT_ID);
                    if (id != null) {
                        productIds.add(id.toString());
                    }
                }
                if (productIds.isEmpty()) {
                    notes.add("user [" + request.userId() + "] has no events in [" + request.interactionsIndex() + "]");
                    done.onResponse(null);
                    return;
                }
                FeatureSpec vectorOnly = new FeatureSpec(request.vectorField(), List.of(), null, null);
                client.search(
                        ProductLookup.request(request.productIndices(), productIds, vectorOnly),
                        tolerant(done, String.join(",", request.productIndices()), notes)
                                .map(products -> {
                                    Map<String, ProductSignals> byId = ProductLookup.signals(products, vectorOnly);
                                    List<float[]> vectors = new ArrayList<>();
                                    for (String id : productIds) {
                                        ProductSignals p = byId.get(id);
                                        if (p != null) {
                                            vectors.add(p.vector());
                                        }
                                    }
                                    session.set(Vectors.meanDirection(vectors));
                                    List<float[]> distinct = new ArrayList<>();
                                    for (String id : new java.util.LinkedHashSet<>(productIds)) {
                                        ProductSignals p = byId.get(id);
                                        if (p != null && p.vector() != null) {
                                            distinct.add(p.vector());
                                        }
                                    }
                                    recent.set(distinct);
                                    return null;
                                }));
            }

            @Override
            public void onFailure(Exception e) {
                unreadable(e, request.interactionsIndex(), notes, done);
            }
        });
    }

    /** {@code done}, with a missing or forbidden index noted (the rescore goes on without it) rather than failed. */
    private static ActionListener<Void> tolerant(ActionListener<Void> done, String index, List<String> notes) {
        return done.delegateResponse((l, e) -> unreadable(e, index, notes, l));
    }

    private static void unreadable(Exception e, String index, List<String> notes, ActionListener<Void> done) {
        if (e instanceof IndexNotFoundException) {
            notes.add("index [" + index + "] does not exist");
            done.onResponse(null);
        } else if (ExceptionsHelper.status(e) == RestStatus.FORBIDDEN) {
            notes.add("not allowed to read [" + index + "]");
            done.onResponse(null);
        } else {
            done.onFailure(e);
        }
    }
}
