package org.semanticranking;

import org.elasticsearch.client.Request;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.test.ESIntegTestCase;
import org.elasticsearch.test.rest.ObjectPath;

import java.util.List;
import java.util.Locale;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

/**
 * A saturated encoder answers with ES's own back-pressure: documents that cannot be queued fail with
 * 429 and a reason, the others are indexed, nothing waits unbounded and the node stays healthy.
 */
@ESIntegTestCase.ClusterScope(
        scope = ESIntegTestCase.Scope.TEST,
        numDataNodes = 1,
        numClientNodes = 0,
        supportsDedicatedMasters = false)
public class EncoderBackPressureClusterTests extends SemanticRankingIntegTestCase {

    @Override
    protected Settings nodeSettings(int nodeOrdinal, Settings otherSettings) {
        // one encoder thread, a one-slot queue, batches of 1 dispatched at once: a bulk overflows it
        return Settings.builder()
                .put(super.nodeSettings(nodeOrdinal, otherSettings))
                .put("thread_pool.semantic_ranking_encoder.size", 1)
                .put("thread_pool.semantic_ranking_encoder.queue_size", 1)
                .put("semantic_ranking.encoder.batch_size", 1)
                .put("semantic_ranking.encoder.sort_window", 1)
                .put("semantic_ranking.encoder.max_wait", "0ms")
                .build();
    }

    public void testAFullEncoderQueueFailsDocumentsWith429() throws Exception {
        putEmbedPipeline();
        StringBuilder bulk = new StringBuilder();
        int docs = 200;
        for (int i = 0; i < docs; i++) {
            bulk.append("{\"index\":{\"_index\":\"p\",\"_id\":\"").append(i).append("\"}}\n");
            bulk.append("{\"title\":\"a product title that takes a moment to encode, number ")
                    .append(i)
                    .append("\"}\n");
        }
        Request index = new Request("PUT", "/p");
        index.setJsonEntity("{\"settings\":{\"number_of_replicas\":0}}");
        getRestClient().performRequest(index);
        Request request = new Request("POST", "/_bulk?pipeline=embed&refresh=true");
        request.setJsonEntity(bulk.toString());
        ObjectPath result = ObjectPath.createFromResponse(getRestClient().performRequest(request));
        int rejected = 0;
        int indexed = 0;
        for (int i = 0; i < docs; i++) {
            int status = result.evaluate("items." + i + ".index.status");
            if (status == 429) {
                rejected++;
                assertThat(
                        result.evaluate("items." + i + ".index.error.type"),
                        equalTo("es_rejected_execution_exception"));
            } else {
                assertThat(status, equalTo(201));
                indexed++;
            }
        }
        assertThat("the one-slot queue must overflow", rejected, greaterThan(0));
        assertThat(indexed, greaterThan(0));

        // every acknowledged document is there, with its vector; the node is green
        Request count = new Request("GET", "/p/_count");
        count.setJsonEntity("{\"query\":{\"exists\":{\"field\":\"vec\"}}}");
        ObjectPath counted = ObjectPath.createFromResponse(getRestClient().performRequest(count));
        assertThat(counted.evaluate("count"), equalTo(indexed));
        assertThat(sumOverNodes("encoder.all-minilm-l6-v2-q.rejections"), equalTo((long) rejected));
        ObjectPath health =
                ObjectPath.createFromResponse(getRestClient().performRequest(new Request("GET", "/_cluster/health/p")));
        assertThat(health.evaluate("status"), equalTo("green"));
        assertThat(result.evaluate("items.0.index._index"), containsString("p"));
    }

    public void testAnOversizedBulkTripsTheEncoderBreakerNotTheHeap() throws Exception {
        putEmbedPipeline();
        Request index = new Request("PUT", "/big");
        index.setJsonEntity("{\"settings\":{\"number_of_replicas\":0}}");
        getRestClient().performRequest(index);
        encoderBreakerLimit("\"1mb\"");
        try {
            // 2 MB of text in one document: more than the encoder may hold; a normal title alongside it
            String huge = "wireless headphones ".repeat(100_000);
            Request bulk = new Request("POST", "/big/_bulk?pipeline=embed&refresh=true");
            bulk.setJsonEntity("{\"index\":{\"_id\":\"huge\"}}\n{\"title\":\"" + huge
                    + "\"}\n{\"index\":{\"_id\":\"small\"}}\n{\"title\":\"usb cable\"}\n");
            ObjectPath result = ObjectPath.createFromResponse(getRestClient().performRequest(bulk));
            assertThat(result.evaluate("items.0.index.status"), equalTo(429));
            assertThat(result.evaluate("items.0.index.error.type"), equalTo("circuit_breaking_exception"));
            assertThat(result.evaluate("items.1.index.status"), equalTo(201));
            // nothing is left accounted once the texts are encoded or refused
            ObjectPath breakers = ObjectPath.createFromResponse(
                    getRestClient().performRequest(new Request("GET", "/_nodes/stats/breaker")));
            java.util.Map<String, Object> nodes = breakers.evaluate("nodes");
            for (String node : nodes.keySet()) {
                assertThat(
                        breakers.evaluate(
                                "nodes." + node + ".breakers.semantic_ranking_encoder.estimated_size_in_bytes"),
                        equalTo(0));
                assertThat(
                        ((Number) breakers.evaluate("nodes." + node + ".breakers.semantic_ranking_encoder.tripped"))
                                .intValue(),
                        greaterThan(0));
            }
        } finally {
            encoderBreakerLimit("null");
        }
    }

    /**
     * A saturated encoder (here: its breaker trips for every text) leaves semantic_hybrid with its lexical side, every
     * time, and every response says so: the warning is decided during the coordinator's rewrite, whose thread context
     * can be left behind (SearchNotices), so this runs enough searches for that race to have shown up before the fix
     * (about 1 in 100 responses lacked it), with the encoder failing at once and a cache of earlier encodes in play.
     */
    public void testHybridFallsBackToLexicalWhenTheEncoderRefuses() throws Exception {
        putEmbedPipeline();
        Request doc = new Request("PUT", "/shop/_doc/1?pipeline=embed&refresh=true");
        doc.setJsonEntity("{\"title\":\"usb cable for printers\"}");
        getRestClient().performRequest(doc);
        encoderBreakerLimit("\"1b\"");
        try {
            int warned = 0;
            for (int i = 0; i < 300; i++) {
                Request search = new Request("POST", "/shop/_search");
                search.setJsonEntity(String.format(Locale.ROOT, """
                    {"retriever":{"semantic_hybrid":{
                      "lexical":{"standard":{"query":{"match":{"title":"cable"}}}},
                      "semantic":{"standard":{"query":{"semantic_intent":{"query":"a cable, request %s","field":"vec"}}}}}}}""", i % 50));
                org.elasticsearch.client.Response response = getRestClient().performRequest(search);
                assertThat(ObjectPath.createFromResponse(response).evaluate("hits.hits.0._id"), equalTo("1"));
                if (String.join("\n", response.getWarnings())
                        .contains("these results come from the lexical side alone")) {
                    warned++;
                }
            }
            assertThat("every fallback says so", warned, equalTo(300));

            // in an _msearch the items' notices reach the one response too
            for (int i = 0; i < 20; i++) {
                String item = String.format(Locale.ROOT, """
                    {"retriever":{"semantic_hybrid":{
                      "lexical":{"standard":{"query":{"match":{"title":"cable"}}}},
                      "semantic":{"standard":{"query":{"semantic_intent":{"query":"msearch %s","field":"vec"}}}}}}}""", i).replace("\n", "");
                Request msearch = new Request("POST", "/shop/_msearch");
                msearch.setJsonEntity("{}\n" + item + "\n{}\n{\"query\":{\"match\":{\"title\":\"cable\"}}}\n");
                org.elasticsearch.client.Response response = getRestClient().performRequest(msearch);
                ObjectPath items = ObjectPath.createFromResponse(response);
                assertThat(items.evaluate("responses.0.hits.hits.0._id"), equalTo("1"));
                assertThat(items.evaluate("responses.1.hits.hits.0._id"), equalTo("1"));
                assertThat(
                        String.join("\n", response.getWarnings()),
                        containsString("these results come from the lexical side alone"));
            }
        } finally {
            encoderBreakerLimit("null");
        }
    }

    /**
     * A learned_rank in a semantic_hybrid's rescore whose vector feature cannot be encoded: the hybrid falls back to its
     * lexical side, the rescorer cannot compute its features, and the search says why with the encoder's 429, never a
     * 500 from a shard that got a rescorer the coordinating node did not finish (the Home Depot benchmark hit that).
     */
    public void testALearnedRankWhoseTextCannotBeEncodedFailsWithTheEncodersStatus() throws Exception {
        putEmbedPipeline();
        Request doc = new Request("PUT", "/shop/_doc/1?pipeline=embed&refresh=true");
        doc.setJsonEntity("{\"title\":\"usb cable for printers\"}");
        getRestClient().performRequest(doc);
        encoderBreakerLimit("\"1b\"");
        try {
            for (String features : List.of(
                    "\"features\":[{\"name\":\"v\",\"vector\":{\"field\":\"vec\"}},{\"name\":\"s\",\"first_pass\":\"score\"}]",
                    "\"features\":[{\"name\":\"s\",\"first_pass\":\"score\"}]")) {
                for (int i = 0; i < 10; i++) {
                    Request search = new Request("POST", "/shop/_search");
                    search.setJsonEntity(String.format(Locale.ROOT, """
                        {"retriever":{"semantic_hybrid":{
                          "lexical":{"standard":{"query":{"match":{"title":"cable"}}}},
                          "semantic":{"standard":{"query":{"semantic_intent":{"query":"learned %s","field":"vec"}}}},
                          "rescore":[{"window_size":10,"learned_rank":{%s,"params":{"query":"learned %s"}}}]}}}""", i, features, i));
                    int status;
                    String body;
                    try {
                        org.elasticsearch.client.Response response =
                                getRestClient().performRequest(search);
                        status = response.getStatusLine().getStatusCode();
                        body = org.apache.http.util.EntityUtils.toString(response.getEntity());
                    } catch (org.elasticsearch.client.ResponseException e) {
                        status = e.getResponse().getStatusLine().getStatusCode();
                        body = org.apache.http.util.EntityUtils.toString(
                                e.getResponse().getEntity());
                    }
                    if (features.contains("vector")) {
                        assertThat(body, status, equalTo(429));
                        assertThat(body, containsString("semantic_ranking_encoder"));
                    } else {
                        assertThat(body, status, equalTo(200));
                        assertThat(body, containsString("\"_id\":\"1\""));
                    }
                }
            }
        } finally {
            encoderBreakerLimit("null");
        }
    }

    private void putEmbedPipeline() throws Exception {
        Request pipeline = new Request("PUT", "/_ingest/pipeline/embed");
        pipeline.setJsonEntity(
                "{\"processors\":[{\"semantic_embedding\":{\"field\":\"title\",\"target_field\":\"vec\"}}]}");
        getRestClient().performRequest(pipeline);
    }

    /** Sets the encoder breaker's limit (a JSON value: a quoted size, or null for the default). */
    private void encoderBreakerLimit(String json) throws Exception {
        Request limit = new Request("PUT", "/_cluster/settings");
        limit.setJsonEntity("{\"transient\":{\"breaker.semantic_ranking_encoder.limit\":" + json + "}}");
        getRestClient().performRequest(limit);
    }
}
