package org.semanticranking.integ;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.semanticranking.personalization.events.InteractionEvent;
import org.semanticranking.personalization.profile.ProfilesIndex;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin on the real distribution with x-pack security on (file realm users made with
 * {@code bin/elasticsearch-users}): a user who may only read the products can search with everything the
 * plugin adds to the search DSL; the rescorer reads profiles with the caller's privileges (no read, no
 * personalization, said so); the evaluation APIs need read on the index; the plugin's own APIs are named actions
 * that roles grant.
 */
class SecurityIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static RealNode node;

    static void users(Path home, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "env",
                "ES_JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64",
                "ES_PATH_CONF=" + home.resolve("config"),
                home.resolve("bin/elasticsearch-users").toString()));
        command.addAll(List.of(args));
        RealNode.run(command);
    }

    @BeforeAll
    static void startSecuredNode() throws Exception {
        node = RealNode.install("security", 9255);
        Path home = node.home();
        Path yml = home.resolve("config/elasticsearch.yml");
        Files.writeString(yml, Files.readString(yml).replace("xpack.security.enabled: false", """
            xpack.security.enabled: true
            xpack.security.http.ssl.enabled: false
            xpack.security.transport.ssl.enabled: false"""));
        Files.writeString(home.resolve("config/roles.yml"), """
            shop_search:
              indices:
                - names: ['products']
                  privileges: ['read']
            ops:
              cluster: ['monitor']
            shop_personalized:
              indices:
                - names: ['products', 'user_profiles', 'interactions']
                  privileges: ['read']
            """);
        users(home, "useradd", "admin", "-p", "admin-password", "-r", "superuser");
        users(home, "useradd", "shopper", "-p", "shopper-password", "-r", "shop_search");
        users(home, "useradd", "insider", "-p", "insider-password", "-r", "shop_personalized");
        users(home, "useradd", "watcher", "-p", "watcher-password", "-r", "ops");
        node.configToNodeUser();
        node.adminAuth("admin", "admin-password");
        node.start();

        ChorusCatalogue.createEmbeddingIndex(node, "products");
        StringBuilder bulk = new StringBuilder();
        for (Map<String, Object> p : ChorusCatalogue.products(300)) {
            bulk.append("{\"index\":{\"_id\":")
                    .append(JSON.writeValueAsString(p.get("id")))
                    .append("}}\n");
            bulk.append(JSON.writeValueAsString(Map.of(
                            "title",
                            p.get("title"),
                            "description",
                            p.getOrDefault("description", ""),
                            "brand",
                            p.get("brand"),
                            "price",
                            p.get("price"))))
                    .append('\n');
        }
        assertFalse(node.call("POST", "/products/_bulk?refresh=true", bulk.toString())
                .get("errors")
                .asBoolean());
        JsonNode vector = node.call("POST", "/products/_search", """
            {"size":1,"_source":false,"fields":["product_vector"],"query":{"match":{"title":"cable"}}}""")
                .get("hits")
                .get("hits")
                .get(0)
                .get("fields")
                .get("product_vector");
        node.call("PUT", "/user_profiles", "{\"mappings\":" + ProfilesIndex.MAPPING + "}");
        node.call("PUT", "/user_profiles/_doc/u1?refresh=true", "{\"user_id\":\"u1\",\"vector\":" + vector + "}");
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            node.stop();
        }
    }

    static final String BLEND = """
        {"size":5,"query":{"semantic_intent":{"query":"a cable for my monitor","field":"product_vector","k":20,"num_candidates":50}},
         "rescore":{"window_size":20,"personalized_blend":{"user_id":"u1","vector_field":"product_vector",
           "weights":{"query":0.2,"vector":0.2,"personalization":1},"score_breakdown":true}}}""";

    @Test
    void aUserWhoMayOnlyReadProductsSearchesWithTheWholeDsl() throws Exception {
        JsonNode semantic = node.callAs("shopper", "shopper-password", "POST", "/products/_search", """
            {"size":3,"query":{"semantic_intent":{"query":"usb cable","field":"product_vector"}}}""");
        assertEquals(3, semantic.get("hits").get("hits").size(), semantic.toString());
        JsonNode knn = node.callAs("shopper", "shopper-password", "POST", "/products/_search", """
            {"size":3,"knn":{"field":"product_vector","k":3,"num_candidates":20,"query_vector_builder":{"semantic_intent":{"text":"usb cable"}}}}""");
        assertEquals(3, knn.get("hits").get("hits").size(), knn.toString());
        JsonNode hybrid = node.callAs("shopper", "shopper-password", "POST", "/products/_search", """
            {"size":3,"retriever":{"semantic_hybrid":{
              "lexical":{"standard":{"query":{"match":{"title":"usb cable"}}}},
              "semantic":{"standard":{"query":{"semantic_intent":{"query":"usb cable","field":"product_vector"}}}}}}}""");
        assertEquals(3, hybrid.get("hits").get("hits").size(), hybrid.toString());
        // query intent reads the brand vocabulary of the index, as the caller
        JsonNode intent = node.callAs("shopper", "shopper-password", "POST", "/products/_search", """
            {"size":3,"query":{"semantic_intent":{"query":"usb cable under $20","field":"product_vector",
              "intent":{"brand_field":"brand","price_field":"price","mode":"filter"}}}}""");
        assertTrue(intent.get("hits").get("hits").size() > 0, intent.toString());
        for (JsonNode hit : intent.get("hits").get("hits")) {
            assertTrue(hit.get("_source").get("price").asDouble() <= 20, intent.toString());
        }
    }

    @Test
    void theRescorerReadsProfilesWithTheCallersPrivileges() throws Exception {
        JsonNode denied = node.callAs("shopper", "shopper-password", "POST", "/products/_search", BLEND);
        JsonNode part = denied.get("hits")
                .get("hits")
                .get(0)
                .get("fields")
                .get("_personalized_blend")
                .get(0)
                .get("personalization");
        assertEquals(0.0, part.get("raw").asDouble(), denied.toString());
        assertTrue(part.get("notes").toString().contains("not allowed to read [user_profiles]"), part.toString());

        JsonNode allowed = node.callAs("insider", "insider-password", "POST", "/products/_search", BLEND);
        JsonNode insiderPart = allowed.get("hits")
                .get("hits")
                .get(0)
                .get("fields")
                .get("_personalized_blend")
                .get(0)
                .get("personalization");
        assertTrue(insiderPart.get("raw").asDouble() > 0, allowed.toString());
    }

    @Test
    void clicksFeaturesReadTheEventsWithTheCallersPrivileges() throws Exception {
        // two impressions of "cable" in the node's interactions index, the first product clicked in both
        node.call("PUT", "/interactions", "{\"mappings\":" + InteractionEvent.MAPPING + "}");
        JsonNode hits = node.call("POST", "/products/_search", """
            {"size":3,"_source":false,"query":{"match":{"title":"cable"}}}""").get("hits").get("hits");
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < hits.size(); k++) {
                String event = "{\"user_id\":\"u1\",\"product_id\":\""
                        + hits.get(k).get("_id").asText()
                        + "\",\"query\":\"cable\",\"impression_id\":\"i" + i + "\",\"position\":" + k
                        + ",\"@timestamp\":" + (1_764_700_000_000L + i) + ",\"type\":\"";
                bulk.append("{\"index\":{}}\n").append(event).append("view\"}\n");
                if (k == 0) {
                    bulk.append("{\"index\":{}}\n").append(event).append("click\"}\n");
                }
            }
        }
        assertFalse(node.call("POST", "/interactions/_bulk?refresh=true", bulk.toString())
                .get("errors")
                .asBoolean());
        String search = """
            {"size":3,"query":{"match":{"title":"cable"}},
             "rescore":{"window_size":3,"learned_rank":{"params":{"query":"cable"},
               "features":[{"name":"shown","clicks":{"measure":"impressions"}}]}}}""";
        JsonNode allowed = node.callAs("insider", "insider-password", "POST", "/products/_search", search);
        double shown = 0;
        for (JsonNode hit : allowed.get("hits").get("hits")) {
            shown += hit.get("fields")
                    .get("_learned_rank")
                    .get(0)
                    .get("features")
                    .get("shown")
                    .asDouble();
        }
        assertEquals(3 * Math.log1p(2), shown, 1e-6, allowed.toString());
        // the node now holds the query's clicks; a caller who may not read the events still gets none of them
        RealNode.HttpError denied = assertThrows(
                RealNode.HttpError.class,
                () -> node.callAs("shopper", "shopper-password", "POST", "/products/_search", search));
        assertEquals(403, denied.status(), denied.body());
        assertTrue(denied.body().contains("indices:data/read/semantic_ranking/query_clicks"), denied.body());
        node.call("DELETE", "/interactions", null);
    }

    @Test
    void evaluationNeedsReadOnTheIndex() throws Exception {
        String body = """
            {"template":{"query":{"match":{"title":"{{q}}"}}},"requests":[{"id":"a","params":{"q":"cable"}}]}""";
        JsonNode ok = node.callAs("shopper", "shopper-password", "POST", "/products/_semantic_ranking/_evaluate", body);
        assertTrue(ok.get("metrics").has("ndcg@10"), ok.toString());
        RealNode.HttpError e = assertThrows(
                RealNode.HttpError.class,
                () -> node.callAs(
                        "shopper", "shopper-password", "POST", "/user_profiles/_semantic_ranking/_evaluate", body));
        assertEquals(403, e.status(), e.body());
        RealNode.HttpError tune = assertThrows(
                RealNode.HttpError.class,
                () -> node.callAs(
                        "shopper",
                        "shopper-password",
                        "POST",
                        "/user_profiles/_semantic_ranking/_tune",
                        // a valid _tune (one fold for its one request): bad input is a 400 before authorization,
                        // as in Elasticsearch's own APIs, so only a valid request reaches the 403
                        body.replace("}]}", "}],\"folds\":1,\"params\":{\"query.match.title\":[\"a\",\"b\"]}}")));
        assertEquals(403, tune.status(), tune.body());
        assertTrue(tune.body().contains("indices:data/read/semantic_ranking/tune"), tune.body());
    }

    @Test
    void thePluginsApisAreActionsThatRolesGrant() throws Exception {
        RealNode.HttpError stats = assertThrows(
                RealNode.HttpError.class,
                () -> node.callAs("shopper", "shopper-password", "GET", "/_semantic_ranking/stats", null));
        assertEquals(403, stats.status());
        assertTrue(stats.body().contains("cluster:monitor/semantic_ranking/stats"), stats.body());
        assertTrue(node.callAs("watcher", "watcher-password", "GET", "/_semantic_ranking/stats", null)
                .has("nodes"));
        RealNode.HttpError build = assertThrows(
                RealNode.HttpError.class,
                () -> node.callAs(
                        "watcher",
                        "watcher-password",
                        "POST",
                        "/_semantic_ranking/profiles/_build",
                        "{\"products_index\":\"products\",\"vector_field\":\"product_vector\"}"));
        assertEquals(403, build.status());
        assertTrue(build.body().contains("cluster:admin/semantic_ranking/profiles/build"), build.body());
    }
}
