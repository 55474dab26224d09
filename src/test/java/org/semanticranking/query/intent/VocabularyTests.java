package org.semanticranking.query.intent;

import org.elasticsearch.test.ESTestCase;

import java.util.List;

public class VocabularyTests extends ESTestCase {

    private final Vocabulary brands = new Vocabulary(
            List.of("HP", "Hewlett Packard Enterprise", "Hewlett Packard", "StarTech.com", "Sony", "C2G"));

    public void testWholeWordsCaseInsensitiveLongestFirst() {
        assertEquals(List.of("Hewlett Packard"), brands.find("hewlett packard laserjet toner"));
        assertEquals(List.of("Hewlett Packard Enterprise"), brands.find("HEWLETT PACKARD ENTERPRISE switch"));
        assertEquals(List.of("StarTech.com"), brands.find("startech.com hdmi adapter"));
        assertEquals(List.of("Sony", "HP"), brands.find("sony, or hp?"));
        assertEquals(List.of("C2G"), brands.find("c2g cable"));
    }

    public void testNoPartialWords() {
        assertEquals(List.of(), brands.find("hpx sonyericsson"));
        assertEquals(List.of(), brands.find("usb fan"));
    }
}
