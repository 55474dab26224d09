package org.semanticranking;

import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.test.ESIntegTestCase;
import org.elasticsearch.test.rest.ObjectPath;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

/**
 * The plugin in a 3-node cluster, driven over real HTTP (netty4): the processor through
 * {@code _simulate} and {@code _bulk}, and the models and stats APIs.
 */
@ESIntegTestCase.ClusterScope(
        scope = ESIntegTestCase.Scope.SUITE,
        numDataNodes = 3,
        numClientNodes = 0,
        supportsDedicatedMasters = false)
public class SemanticRankingClusterTests extends SemanticRankingIntegTestCase {

    private static final String PIPELINE = """
        {"processors":[{"semantic_embedding":{"fields":["title","description"],"target_field":"vec"}}]}""";

    private static ResponseException failing(String method, String path, String body) {
        return expectThrows(ResponseException.class, () -> call(method, path, body));
    }

    public void testSimulateEmbedsTheDocument() throws IOException {
        ObjectPath result = call("POST", "/_ingest/pipeline/_simulate", String.format(Locale.ROOT, """
            {"pipeline": %s, "docs":[{"_source":{"title":"Wireless headphones","description":"Bluetooth, 30 h battery"}}]}
            """, PIPELINE));
        List<?> vec = result.evaluate("docs.0.doc._source.vec");
        assertThat(vec.size(), equalTo(384));
        double norm = 0;
        for (Object x : vec) {
            double d = ((Number) x).doubleValue();
            norm += d * d;
        }
        assertEquals(1.0, Math.sqrt(norm), 1e-4);
    }

    public void testSimulateReportsBadDocumentsWithTheirReason() throws IOException {
        ObjectPath result = call("POST", "/_ingest/pipeline/_simulate", """
            {"pipeline": {"processors":[{"semantic_embedding":{"field":"title"}}]},
             "docs":[{"_source":{"name":"no title"}}, {"_source":{"title": 42}}, {"_source":{"title":"   "}}]}""");
        assertThat(result.evaluate("docs.0.error.reason"), containsString("field [title]"));
        assertThat(result.evaluate("docs.1.error.reason"), containsString("field [title] is of type [number]"));
        assertThat(result.evaluate("docs.2.error.reason"), containsString("field [title]"));
        assertThat(result.evaluate("docs.0.error.type"), equalTo("illegal_argument_exception"));
    }

    public void testPipelineWithUnknownModelIsA400NamingIt() {
        ResponseException e = failing("PUT", "/_ingest/pipeline/bad", """
            {"processors":[{"semantic_embedding":{"field":"title","model":"no-such-model"}}]}""");
        assertThat(e.getResponse().getStatusLine().getStatusCode(), equalTo(400));
        assertThat(e.getMessage(), containsString("unknown model [no-such-model]"));
    }

    public void testBulkThroughThePipelineIndexesEveryDocumentWithItsVector() throws Exception {
        call("PUT", "/_ingest/pipeline/embed", PIPELINE);
        call("PUT", "/products", """
            {"settings":{"number_of_shards":3,"number_of_replicas":1,"default_pipeline":"embed"},
             "mappings":{"properties":{"title":{"type":"text"},"description":{"type":"text"},
               "vec":{"type":"dense_vector","dims":384,"index":true,"similarity":"cosine"}}}}""");
        String[] kinds = {"wireless headphones", "electric kettle", "laser printer", "gaming mouse", "office chair"};
        StringBuilder bulk = new StringBuilder();
        int docs = 200;
        for (int i = 0; i < docs; i++) {
            bulk.append("{\"index\":{\"_id\":\"").append(i).append("\"}}\n");
            bulk.append("{\"title\":\"Model ")
                    .append(i)
                    .append(' ')
                    .append(kinds[i % kinds.length])
                    .append("\",\"description\":\"item ")
                    .append(i)
                    .append("\"}\n");
        }
        // two bad documents in the same bulk fail alone, with a reason
        bulk.append("{\"index\":{\"_id\":\"bad-1\"}}\n{\"description\":\"\"}\n");
        bulk.append("{\"index\":{\"_id\":\"bad-2\"}}\n{\"title\":{\"nested\":true}}\n");
        Request request = new Request("POST", "/products/_bulk?refresh=true");
        request.setJsonEntity(bulk.toString());
        ObjectPath result = ObjectPath.createFromResponse(getRestClient().performRequest(request));
        assertThat(result.evaluate("errors"), equalTo(true));
        List<Map<String, Object>> items = result.evaluate("items");
        assertThat(items.size(), equalTo(docs + 2));
        for (int i = 0; i < docs; i++) {
            assertThat(result.evaluate("items." + i + ".index.status"), equalTo(201));
        }
        assertThat(result.evaluate("items." + docs + ".index.status"), equalTo(400));
        assertThat(
                result.evaluate("items." + docs + ".index.error.reason"),
                containsString("none of the fields [title, description]"));
        assertThat(
                result.evaluate("items." + (docs + 1) + ".index.error.reason"),
                containsString("field [title] is of type [object]"));

        ObjectPath count = call("GET", "/products/_count", "{\"query\":{\"exists\":{\"field\":\"vec\"}}}");
        assertThat(count.evaluate("count"), equalTo(docs));

        // a kNN search with the vector of a paraphrase finds a kettle
        ObjectPath simulated = call("POST", "/_ingest/pipeline/embed/_simulate", """
            {"docs":[{"_source":{"title":"appliance to boil water for tea"}}]}""");
        List<?> queryVector = simulated.evaluate("docs.0.doc._source.vec");
        ObjectPath hits = call("POST", "/products/_search", String.format(Locale.ROOT, """
            {"knn":{"field":"vec","query_vector":%s,"k":5,"num_candidates":50},"_source":["title"]}""", queryVector));
        assertThat(hits.evaluate("hits.hits.0._source.title"), containsString("electric kettle"));

        ObjectPath stats = call("GET", "/_semantic_ranking/stats", null);
        Map<String, Object> nodes = stats.evaluate("nodes");
        assertThat(nodes.size(), equalTo(3));
        long encoded = 0;
        for (String node : nodes.keySet()) {
            Number n = stats.evaluate("nodes." + node + ".encoder.all-minilm-l6-v2-q.texts_encoded");
            encoded += n.longValue();
        }
        assertThat(encoded, greaterThanOrEqualTo((long) docs));
    }

    public void testModelsApiListsTheDefaultModelOnEveryNodeWithItsMapping() throws IOException {
        ObjectPath models = call("GET", "/_semantic_ranking/models", null);
        assertThat(models.evaluate("_nodes.total"), equalTo(3));
        assertThat(models.evaluate("_nodes.successful"), equalTo(3));
        Map<String, Object> nodes = models.evaluate("nodes");
        assertThat(nodes.size(), equalTo(3));
        for (String node : nodes.keySet()) {
            String m = "nodes." + node + ".models.all-minilm-l6-v2-q.";
            assertThat(models.evaluate(m + "status"), equalTo("loaded"));
            assertThat(models.evaluate(m + "default"), equalTo(true));
            assertThat(models.evaluate(m + "dims"), equalTo(384));
            assertThat(models.evaluate(m + "device"), equalTo("cpu"));
            assertThat(models.evaluate(m + "pooling"), equalTo("mean"));
            assertThat(models.evaluate(m + "source"), equalTo("bundled"));
            assertThat(models.evaluate(m + "mapping.type"), equalTo("dense_vector"));
            assertThat(models.evaluate(m + "mapping.dims"), equalTo(384));
        }
    }

    public void testStatsApiAnswersPerNode() throws IOException {
        ObjectPath stats = call("GET", "/_semantic_ranking/stats", null);
        Map<String, Object> nodes = stats.evaluate("nodes");
        assertThat(nodes.size(), equalTo(3));
        String anyNode = nodes.keySet().iterator().next();
        ObjectPath one = call("GET", "/_semantic_ranking/" + anyNode + "/stats", null);
        Map<String, Object> oneNode = one.evaluate("nodes");
        assertThat(oneNode.size(), equalTo(1));
        Number queue = one.evaluate("nodes." + anyNode + ".encoder.all-minilm-l6-v2-q.queue_depth");
        assertThat(queue.intValue(), greaterThanOrEqualTo(0));
        assertThat(
                ((Number) one.evaluate("nodes." + anyNode + ".encoder.all-minilm-l6-v2-q.rejections")).intValue(),
                equalTo(0));
        assertThat(one.evaluate("cluster_name"), org.hamcrest.Matchers.notNullValue());
        assertThat(nodes.size(), greaterThan(0));
    }
}
