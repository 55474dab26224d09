package org.semanticranking.query.intent;

import org.elasticsearch.test.ESTestCase;

import java.util.Optional;

import static org.hamcrest.Matchers.equalTo;

public class PriceIntentTests extends ESTestCase {

    private static PriceIntent find(String text) {
        Optional<PriceIntent> p = PriceIntent.find(text, 20);
        assertTrue("no price found in [" + text + "]", p.isPresent());
        return p.get();
    }

    // min() and max() are Doubles: JUnit 5's assertEquals(double, Double) compared them exactly, as equalTo does here
    public void testTheIssuesExpressions() {
        PriceIntent under = find("quiet wireless headphones for running under $100");
        assertNull(under.min());
        assertThat(under.max(), equalTo(100.0));
        assertEquals(
                "quiet wireless headphones for running",
                under.strip("quiet wireless headphones for running under $100"));
        assertThat(find("usb fan below 100").max(), equalTo(100.0));
        assertThat(find("hdmi cable less than 20 euros").max(), equalTo(20.0));
        assertEquals("hdmi cable", find("hdmi cable less than 20 euros").strip("hdmi cable less than 20 euros"));
        PriceIntent between = find("monitor between 100 and 200");
        assertThat(between.min(), equalTo(100.0));
        assertThat(between.max(), equalTo(200.0));
        assertEquals("price:100..200", between.describe());
        PriceIntent over = find("laptop over 1k");
        assertThat(over.min(), equalTo(1000.0));
        assertNull(over.max());
        assertEquals("price>=1000", over.describe());
        PriceIntent cheap = find("cheap usb stick");
        assertThat(cheap.max(), equalTo(20.0));
        assertEquals("usb stick", cheap.strip("cheap usb stick"));
    }

    public void testMoreShapes() {
        assertThat(find("toner under 49.99 dollars").max(), equalTo(49.99));
        assertThat(find("keyboard <50").max(), equalTo(50.0));
        assertThat(find("mouse at least $10").min(), equalTo(10.0));
        assertThat(
                "bounds in either order", find("speaker between $200 and $150").min(), equalTo(150.0));
        assertThat(
                "bounds in either order", find("speaker between $200 and $150").max(), equalTo(200.0));
        assertThat(find("tv under 1.5k").max(), equalTo(1500.0));
        assertThat(find("batteries up to €30").max(), equalTo(30.0));
    }

    public void testNoPriceNoIntent() {
        assertTrue(PriceIntent.find("usb fan", 20).isEmpty());
        assertTrue(
                "sizes and resolutions are not prices",
                PriceIntent.find("27 inch monitor 4k", 20).isEmpty());
        assertTrue(PriceIntent.find("aaa battery 4 pack", 20).isEmpty());
    }
}
