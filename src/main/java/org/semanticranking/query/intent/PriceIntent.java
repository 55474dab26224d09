package org.semanticranking.query.intent;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A price constraint found in a shopper's text ("under $50", "between 100 and 200", "over 1k",
 * "cheap"), with the span it came from so that the text given to the encoder can drop it.
 *
 * @param min   lower bound (inclusive) or {@code null}
 * @param max   upper bound (inclusive) or {@code null}
 * @param start first character of the expression in the text
 * @param end   one past its last character
 */
public record PriceIntent(Double min, Double max, int start, int end, String expression) {

    private static final String AMOUNT =
            "(?:[$€£]\\s*)?(\\d+(?:[.,]\\d+)?)\\s*(k\\b)?(?:\\s*(?:\\$|€|£|dollars?\\b|usd\\b|euros?\\b|eur\\b|pounds?\\b|gbp\\b|bucks\\b))?";
    private static final Pattern BETWEEN = Pattern.compile(
            "\\b(?:between|from)\\s+" + AMOUNT + "\\s*(?:and|to|-)\\s*" + AMOUNT.replace("(\\d", "(\\d"),
            Pattern.CASE_INSENSITIVE);
    private static final Pattern UPPER = Pattern.compile(
            "(?:\\b(?:under|below|less\\s+than|cheaper\\s+than|up\\s+to|max(?:imum)?|no\\s+more\\s+than|at\\s+most)|<=?)\\s*"
                    + AMOUNT,
            Pattern.CASE_INSENSITIVE);
    private static final Pattern LOWER = Pattern.compile(
            "(?:\\b(?:over|above|more\\s+than|at\\s+least|min(?:imum)?|from)|>=?)\\s*" + AMOUNT,
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CHEAP =
            Pattern.compile("\\b(?:cheap|budget|inexpensive|affordable)\\b", Pattern.CASE_INSENSITIVE);

    /**
     * Finds the first price expression in {@code text}; {@code cheapBelow} is the upper bound that the
     * word "cheap" (and "budget", "inexpensive", "affordable") stands for.
     */
    public static Optional<PriceIntent> find(String text, double cheapBelow) {
        Matcher m = BETWEEN.matcher(text);
        if (m.find()) {
            double a = amount(m.group(1), m.group(2));
            double b = amount(m.group(3), m.group(4));
            return Optional.of(new PriceIntent(Math.min(a, b), Math.max(a, b), m.start(), m.end(), m.group()));
        }
        m = UPPER.matcher(text);
        if (m.find()) {
            return Optional.of(new PriceIntent(null, amount(m.group(1), m.group(2)), m.start(), m.end(), m.group()));
        }
        m = LOWER.matcher(text);
        if (m.find()) {
            return Optional.of(new PriceIntent(amount(m.group(1), m.group(2)), null, m.start(), m.end(), m.group()));
        }
        m = CHEAP.matcher(text);
        if (m.find()) {
            return Optional.of(new PriceIntent(null, cheapBelow, m.start(), m.end(), m.group()));
        }
        return Optional.empty();
    }

    private static double amount(String number, String thousands) {
        double value = Double.parseDouble(number.replace(',', '.'));
        return thousands == null ? value : value * 1000;
    }

    /** The text without the expression, whitespace tidied: what the encoder should see. */
    public String strip(String text) {
        return (text.substring(0, start) + " " + text.substring(end))
                .replaceAll("\\s+", " ")
                .strip();
    }

    /** A short description for the response, e.g. {@code price<=50.0}. */
    public String describe() {
        if (min != null && max != null) {
            return String.format(Locale.ROOT, "price:%s..%s", num(min), num(max));
        }
        return min != null ? "price>=" + num(min) : "price<=" + num(max);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
