package org.semanticranking;

import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.test.ESIntegTestCase;
import org.elasticsearch.test.rest.ObjectPath;
import org.elasticsearch.transport.netty4.Netty4Plugin;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** A test cluster with the plugin, driven over real HTTP (netty4), as users reach it. */
public abstract class SemanticRankingIntegTestCase extends ESIntegTestCase {

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(SemanticRankingPlugin.class, Netty4Plugin.class);
    }

    @Override
    protected boolean addMockHttpTransport() {
        return false; // real HTTP
    }

    protected static ObjectPath call(String method, String path, String body) throws IOException {
        Request request = new Request(method, path);
        if (body != null) {
            request.setJsonEntity(body);
        }
        Response response = getRestClient().performRequest(request);
        return ObjectPath.createFromResponse(response);
    }

    /** Adds up one number of {@code GET _semantic_ranking/stats} over every node, e.g. {@code query_cache.hits}. */
    protected static long sumOverNodes(String pathInNode) throws IOException {
        ObjectPath stats = call("GET", "/_semantic_ranking/stats", null);
        Map<String, Object> nodes = stats.evaluate("nodes");
        long total = 0;
        for (String node : nodes.keySet()) {
            total += ((Number) stats.evaluate("nodes." + node + "." + pathInNode)).longValue();
        }
        return total;
    }
}
