package org.semanticranking.query.intent;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PriceIntentTests {

    private static PriceIntent find(String text) {
        Optional<PriceIntent> p = PriceIntent.find(text, 20);
        assertTrue(p.isPresent(), "no price found in [" + text + "]");
        return p.get();
    }

    @Test
    void theIssuesExpressions() {
        PriceIntent under = find("quiet wireless headphones for running under $100");
        assertNull(under.min());
        assertEquals(100.0, under.max());
        assertEquals("quiet wireless headphones for running", under.strip("quiet wireless headphones for running under $100"));
        assertEquals(100.0, find("usb fan below 100").max());
        assertEquals(20.0, find("hdmi cable less than 20 euros").max());
        assertEquals("hdmi cable", find("hdmi cable less than 20 euros").strip("hdmi cable less than 20 euros"));
        PriceIntent between = find("monitor between 100 and 200");
        assertEquals(100.0, between.min());
        assertEquals(200.0, between.max());
        assertEquals("price:100..200", between.describe());
        PriceIntent over = find("laptop over 1k");
        assertEquals(1000.0, over.min());
        assertNull(over.max());
        assertEquals("price>=1000", over.describe());
        PriceIntent cheap = find("cheap usb stick");
        assertEquals(20.0, cheap.max());
        assertEquals("usb stick", cheap.strip("cheap usb stick"));
    }

    @Test
    void moreShapes() {
        assertEquals(49.99, find("toner under 49.99 dollars").max());
        assertEquals(50.0, find("keyboard <50").max());
        assertEquals(10.0, find("mouse at least $10").min());
        assertEquals(150.0, find("speaker between $200 and $150").min(), "bounds in either order");
        assertEquals(200.0, find("speaker between $200 and $150").max(), "bounds in either order");
        assertEquals(1500.0, find("tv under 1.5k").max());
        assertEquals(30.0, find("batteries up to €30").max());
    }

    @Test
    void noPriceNoIntent() {
        assertTrue(PriceIntent.find("usb fan", 20).isEmpty());
        assertTrue(PriceIntent.find("27 inch monitor 4k", 20).isEmpty(), "sizes and resolutions are not prices");
        assertTrue(PriceIntent.find("aaa battery 4 pack", 20).isEmpty());
    }
}
