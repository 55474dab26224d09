package org.semanticranking.integ;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model added the documented way: {@code models/fetch-model.sh} puts bge-small-zh-v1.5 (int8) in the
 * node's config directory, the node loads it at start (read from the config directory under
 * entitlements), and a pipeline that names it embeds Chinese product titles.
 */
class UserModelIT {

    private static final String MODEL = "bge-small-zh-v1.5-q";
    private static RealNode node;

    @BeforeAll
    static void startNodeWithTheChineseModel() throws Exception {
        node = RealNode.install("user-model", 9252);
        RealNode.run(List.of(
                "bash",
                RealNode.property("integ.models.dir") + "/fetch-model.sh",
                MODEL,
                node.home().toString()));
        node.start();
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            node.stop();
        }
    }

    @Test
    void theModelFromTheConfigDirectoryIsLoaded() throws Exception {
        JsonNode models = node.call("GET", "/_semantic_ranking/models", null)
                .get("nodes")
                .elements()
                .next()
                .get("models");
        JsonNode zh = models.get(MODEL);
        assertEquals("loaded", zh.get("status").asText(), models + "\n" + node.logs());
        assertEquals(512, zh.get("dims").asInt());
        assertEquals("cls", zh.get("pooling").asText());
        assertTrue(
                zh.get("source").asText().endsWith("config/semantic-ranking/models/" + MODEL),
                zh.get("source").asText());
        assertEquals(false, zh.get("default").asBoolean());
        assertEquals(
                "loaded", models.get("all-minilm-l6-v2-q").get("status").asText(), "the bundled default stays loaded");
    }

    @Test
    void chineseTitlesAreEmbeddedAndFoundByMeaning() throws Exception {
        node.call("PUT", "/_ingest/pipeline/zh", String.format(Locale.ROOT, """
            {"processors":[{"semantic_embedding":{"field":"title","target_field":"vec","model":"%s"}}]}""", MODEL));
        node.call("PUT", "/zh-products", """
            {"settings":{"number_of_replicas":0,"default_pipeline":"zh"},
             "mappings":{"properties":{"title":{"type":"text"},"vec":{"type":"dense_vector","dims":512,"similarity":"cosine"}}}}""");
        String[] titles = {
            "索尼 WH-1000XM5 头戴式无线降噪蓝牙耳机 黑色", "北欧风格布艺三人沙发 客厅家具 灰色", "美的 电热水壶 1.7升 不锈钢", "罗技 无线鼠标 静音 办公", "小米 65英寸 4K 智能电视"
        };
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < titles.length; i++) {
            bulk.append("{\"index\":{\"_id\":\"")
                    .append(i)
                    .append("\"}}\n{\"title\":\"")
                    .append(titles[i])
                    .append("\"}\n");
        }
        JsonNode response = node.call("POST", "/zh-products/_bulk?refresh=true", bulk.toString());
        assertEquals(false, response.get("errors").asBoolean(), response.toString());

        JsonNode simulated = node.call(
                "POST", "/_ingest/pipeline/zh/_simulate", "{\"docs\":[{\"_source\":{\"title\":\"无线蓝牙耳机\"}}]}");
        JsonNode vector = simulated.get("docs").get(0).get("doc").get("_source").get("vec");
        assertEquals(512, vector.size());
        List<Float> query = new ArrayList<>();
        vector.forEach(x -> query.add((float) x.asDouble()));
        JsonNode hits = node.call(
                "POST",
                "/zh-products/_search",
                String.format(Locale.ROOT, """
            {"knn":{"field":"vec","query_vector":%s,"k":3,"num_candidates":10},"_source":["title"]}""", new ObjectMapper().writeValueAsString(query)));
        assertEquals(
                "0",
                hits.get("hits").get("hits").get(0).get("_id").asText(),
                "wireless bluetooth headphones first: " + hits);
    }
}
