package org.semanticranking.encoder;

import org.elasticsearch.test.ESTestCase;
import org.junit.AfterClass;
import org.junit.BeforeClass;

import java.util.List;

import static org.semanticranking.encoder.TestModels.cosine;

/** bge-small-zh-v1.5 (int8) on Chinese product titles, loaded from a directory as a user installs it. */
public class ChineseModelTests extends ESTestCase {

    private static OnnxTextEncoder encoder;

    @BeforeClass
    public static void load() throws Exception {
        encoder = TestModels.chineseModel();
    }

    @AfterClass
    public static void forgetEncoder() {
        // TestModels keeps the loaded model for any later test class; only this class's reference is dropped
        encoder = null;
    }

    private static float[] encode(String text, boolean query) throws Exception {
        return encoder.embed(List.of(encoder.tokenize(text, query, 512)))[0];
    }

    public void testManifestAndOutputAgree() throws Exception {
        assertEquals(512, encoder.manifest().dims());
        assertEquals(Pooling.CLS, encoder.manifest().pooling());
        assertEquals(512, encode("无线蓝牙耳机", true).length);
    }

    public void testHeadphoneQueryIsCloserToHeadphonesThanToASofa() throws Exception {
        float[] query = encode("无线蓝牙耳机", true);
        float[] headphones = encode("索尼 WH-1000XM5 头戴式无线降噪蓝牙耳机 黑色", false);
        float[] sofa = encode("北欧风格布艺三人沙发 客厅家具 灰色", false);
        assertTrue(
                "headphones " + cosine(query, headphones) + " vs sofa " + cosine(query, sofa),
                cosine(query, headphones) > cosine(query, sofa));
    }

    public void testCapitalisedLatinBrandsAreNotUnknownTokens() {
        // the tokenizer does not lowercase; the manifest's lowercase=true keeps "Sony" out of [UNK] (id 100)
        Tokenized t = encoder.tokenize("Sony 耳机", false, 512);
        for (long id : t.ids()) {
            assertTrue("no [UNK] token expected", id != 100L);
        }
    }
}
