package org.semanticranking.query.intent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The values of one keyword field (brands, colours, product types), matched against a shopper's text
 * by whole words, case-insensitively, longest first, so that multi-word values ("hewlett packard")
 * and values with punctuation ("startech.com") are found.
 */
public final class Vocabulary {

    /** Values of more words than this are never looked for. */
    static final int MAX_WORDS = 4;

    private static final Pattern WORD_EDGES = Pattern.compile("^[\\p{Punct}&&[^.+#&]]+|[\\p{Punct}]+$");

    private final Map<String, String> canonicalByKey;

    /** @param values the field's values as indexed (the canonical spelling is the most frequent one first seen) */
    public Vocabulary(List<String> values) {
        Map<String, String> map = new HashMap<>();
        for (String value : values) {
            String key = key(value);
            if (key.isEmpty() == false && key.split(" ").length <= MAX_WORDS) {
                map.putIfAbsent(key, value);
            }
        }
        this.canonicalByKey = map;
    }

    static String key(String text) {
        List<String> words = words(text);
        return String.join(" ", words);
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String raw : text.toLowerCase(Locale.ROOT).split("\\s+")) {
            String w = WORD_EDGES.matcher(raw).replaceAll("");
            if (w.isEmpty() == false) {
                words.add(w);
            }
        }
        return words;
    }

    /** The canonical values found in the text, longest match first, without overlaps. */
    public List<String> find(String text) {
        List<String> words = words(text);
        List<String> found = new ArrayList<>();
        int i = 0;
        while (i < words.size()) {
            int matched = 0;
            for (int n = Math.min(MAX_WORDS, words.size() - i); n >= 1; n--) {
                String value = canonicalByKey.get(String.join(" ", words.subList(i, i + n)));
                if (value != null) {
                    if (found.contains(value) == false) {
                        found.add(value);
                    }
                    matched = n;
                    break;
                }
            }
            i += Math.max(1, matched);
        }
        return found;
    }

    public int size() {
        return canonicalByKey.size();
    }
}
