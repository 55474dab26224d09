package org.semanticranking.encoder;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.semanticranking.encoder.TestModels.cosine;

/** bge-small-zh-v1.5 (int8) on Chinese product titles, loaded from a directory as a user installs it. */
class ChineseModelTests {

    private static OnnxTextEncoder encoder;

    @BeforeAll
    static void load() throws Exception {
        encoder = TestModels.chineseModel();
    }

    private static float[] encode(String text, boolean query) throws Exception {
        return encoder.embed(List.of(encoder.tokenize(text, query, 512)))[0];
    }

    @Test
    void manifestAndOutputAgree() throws Exception {
        assertEquals(512, encoder.manifest().dims());
        assertEquals(Pooling.CLS, encoder.manifest().pooling());
        assertEquals(512, encode("无线蓝牙耳机", true).length);
    }

    @Test
    void headphoneQueryIsCloserToHeadphonesThanToASofa() throws Exception {
        float[] query = encode("无线蓝牙耳机", true);
        float[] headphones = encode("索尼 WH-1000XM5 头戴式无线降噪蓝牙耳机 黑色", false);
        float[] sofa = encode("北欧风格布艺三人沙发 客厅家具 灰色", false);
        assertTrue(
            cosine(query, headphones) > cosine(query, sofa),
            "headphones " + cosine(query, headphones) + " vs sofa " + cosine(query, sofa)
        );
    }

    @Test
    void capitalisedLatinBrandsAreNotUnknownTokens() {
        // the tokenizer does not lowercase; the manifest's lowercase=true keeps "Sony" out of [UNK] (id 100)
        Tokenized t = encoder.tokenize("Sony 耳机", false, 512);
        for (long id : t.ids()) {
            assertTrue(id != 100L, "no [UNK] token expected");
        }
    }
}
