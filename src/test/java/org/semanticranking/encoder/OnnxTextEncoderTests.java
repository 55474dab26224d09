package org.semanticranking.encoder;

import org.elasticsearch.test.ESTestCase;
import org.junit.AfterClass;
import org.junit.BeforeClass;

import java.util.ArrayList;
import java.util.List;

import static org.semanticranking.encoder.TestModels.cosine;
import static org.semanticranking.encoder.TestModels.norm;

/** The bundled int8 all-MiniLM-L6-v2 behaves as the model is known to. */
public class OnnxTextEncoderTests extends ESTestCase {

    private static OnnxTextEncoder encoder;

    @BeforeClass
    public static void load() throws Exception {
        encoder = TestModels.defaultModel();
    }

    @AfterClass
    public static void forgetEncoder() {
        // TestModels keeps (and later test classes share) the loaded model; only this class's reference is dropped
        encoder = null;
    }

    private static float[] alone(String text) throws Exception {
        return encoder.embed(List.of(encoder.tokenize(text, false, 256)))[0];
    }

    public void testVectorsHaveTheManifestDimsAndUnitLength() throws Exception {
        float[] v = alone("Sony WH-1000XM4 wireless noise cancelling headphones");
        assertEquals(384, v.length);
        assertEquals(1.0, norm(v), 1e-5);
    }

    public void testRelatedTextsAreCloserThanUnrelatedOnes() throws Exception {
        float[] query = alone("wireless headphones for running");
        float[] headphones = alone("Bluetooth sport earbuds, sweat resistant, for jogging and the gym");
        float[] sofa = alone("Three-seater fabric sofa in grey, for the living room");
        float[] toner = alone("Xerox toner cartridge, black, 6 pack");
        assertTrue(
                "headphones should be much closer than a sofa", cosine(query, headphones) > cosine(query, sofa) + 0.2);
        assertTrue(
                "headphones should be much closer than toner", cosine(query, headphones) > cosine(query, toner) + 0.2);
    }

    /**
     * int8 dynamic quantization picks one activation scale per batch tensor, so the same text alone and
     * inside a batch differs slightly (ENCODER-FACTS: cosine ~0.993 on average; single texts down to
     * ~0.989 measured here); fp32 models agree to 1e-5. Hence: mean >= 0.99, each >= 0.98, and each
     * batched vector nearest to its own text.
     */
    public void testATextInABatchGetsTheVectorItGetsAlone() throws Exception {
        List<String> texts = List.of(
                "usb c charger 65W",
                "AA batteries alkaline 24 pack",
                "wireless mouse, silent clicks",
                "HDMI cable 2m gold plated",
                "HP LaserJet Pro printer with duplex printing and wifi",
                "Logitech MX Keys wireless illuminated keyboard for Mac and Windows",
                "cable",
                "Samsung 27 inch curved monitor, full HD, 75 Hz, HDMI and VGA inputs",
                "stainless steel electric kettle 1.7 l",
                "noise cancelling over-ear headphones with 30 hours of battery");
        List<Tokenized> batch = new ArrayList<>();
        for (String t : texts) {
            batch.add(encoder.tokenize(t, false, 256));
        }
        float[][] batched = encoder.embed(batch);
        double sum = 0;
        for (int i = 0; i < texts.size(); i++) {
            float[] single = alone(texts.get(i));
            double c = cosine(single, batched[i]);
            sum += c;
            assertTrue("[" + texts.get(i) + "] cosine " + c, c >= 0.98);
            assertEquals(1.0, norm(batched[i]), 1e-5);
            for (int j = 0; j < texts.size(); j++) {
                if (j != i) {
                    assertTrue(
                            "text " + i + " is nearer another text's vector",
                            c > cosine(alone(texts.get(j)), batched[i]));
                }
            }
        }
        assertTrue("mean cosine " + sum / texts.size(), sum / texts.size() >= 0.99);
    }

    public void testTokenizationAddsSpecialTokensAndTruncatesKeepingTheLastOne() {
        Tokenized short_ = encoder.tokenize("hello world", false, 256);
        assertEquals(4, short_.length()); // [CLS] hello world [SEP]
        assertEquals(101L, short_.ids()[0]);
        assertEquals(102L, short_.ids()[3]);

        Tokenized cut = encoder.tokenize("one two three four five six seven eight nine ten eleven twelve", false, 8);
        assertEquals(8, cut.length());
        assertEquals(101L, cut.ids()[0]);
        assertEquals(102L, cut.ids()[7]);
    }

    public void testHugeTextIsCutToTheModelLimitWithoutTokenizingAllOfIt() throws Exception {
        String word = "wireless ";
        StringBuilder text = new StringBuilder();
        while (text.length() < 100 * 1024) {
            text.append(word);
        }
        Tokenized t = encoder.tokenize(text.toString(), false, 10_000);
        assertEquals("the manifest's max_tokens caps any request", 256, t.length());
        assertEquals(1.0, norm(encoder.embed(List.of(t))[0]), 1e-5);
    }

    public void testEmojiChineseAndMixedScriptsEncode() throws Exception {
        for (String text :
                List.of("🎧🔥 headphones 🎶", "无线蓝牙耳机", "Наушники Sony беспроводные", "mixed 混合 текст ✓ café")) {
            float[] v = alone(text);
            assertEquals(384, v.length);
            assertEquals(text, 1.0, norm(v), 1e-5);
        }
    }

    public void testEachKindOfTextGetsItsOwnPrefix() throws Exception {
        // MiniLM has no prefix: query and document encodings of the same text agree
        assertEquals(
                encoder.tokenize("usb fan", true, 256).length(),
                encoder.tokenize("usb fan", false, 256).length());
        // a model trained with instructions (e5: "query: " / "passage: ") gets each before its kind of text only
        ModelManifest m = encoder.manifest();
        ModelManifest prefixed = new ModelManifest(
                m.name(),
                m.description(),
                m.licence(),
                m.sourceMaven(),
                m.modelSha256(),
                m.tokenizerSha256(),
                m.dims(),
                m.pooling(),
                m.normalize(),
                m.maxTokens(),
                "query: ",
                "passage: ",
                m.lowercase());
        try (OnnxTextEncoder e5Like =
                OnnxTextEncoder.load(prefixed, new ModelSource.Bundled(m.name()), EncoderDevice.CPU, 1)) {
            assertArrayEquals(
                    ids(encoder.tokenize("query: usb fan", false, 256)), ids(e5Like.tokenize("usb fan", true, 256)));
            assertArrayEquals(
                    ids(encoder.tokenize("passage: usb fan", false, 256)), ids(e5Like.tokenize("usb fan", false, 256)));
        }
    }

    private static long[] ids(Tokenized t) {
        return t.ids();
    }
}
