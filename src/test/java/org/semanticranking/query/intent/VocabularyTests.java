package org.semanticranking.query.intent;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class VocabularyTests {

    private final Vocabulary brands = new Vocabulary(List.of("HP", "Hewlett Packard Enterprise", "Hewlett Packard", "StarTech.com", "Sony", "C2G"));

    @Test
    void wholeWordsCaseInsensitiveLongestFirst() {
        assertEquals(List.of("Hewlett Packard"), brands.find("hewlett packard laserjet toner"));
        assertEquals(List.of("Hewlett Packard Enterprise"), brands.find("HEWLETT PACKARD ENTERPRISE switch"));
        assertEquals(List.of("StarTech.com"), brands.find("startech.com hdmi adapter"));
        assertEquals(List.of("Sony", "HP"), brands.find("sony, or hp?"));
        assertEquals(List.of("C2G"), brands.find("c2g cable"));
    }

    @Test
    void noPartialWords() {
        assertEquals(List.of(), brands.find("hpx sonyericsson"));
        assertEquals(List.of(), brands.find("usb fan"));
    }
}
