package org.semanticranking.evaluation;

import org.elasticsearch.common.Strings;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.json.JsonXContent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code _search} body with {@code {{placeholders}}}, filled by the plugin itself (no mustache module
 * needed). A placeholder that is a whole JSON string ({@code "{{size}}"}) becomes the parameter's JSON value,
 * so numbers stay numbers; one inside a longer string is replaced by the parameter's text, escaped as JSON.
 * Either way a value can never break out of its place in the body.
 */
public final class SearchTemplate {

    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.\\-]+)\\s*}}");
    private static final Pattern WHOLE_STRING = Pattern.compile("\"\\{\\{\\s*([A-Za-z0-9_.\\-]+)\\s*}}\"");

    private final String json;
    private final Set<String> placeholders = new TreeSet<>();

    private SearchTemplate(String json) {
        this.json = json;
        Matcher m = PLACEHOLDER.matcher(json);
        while (m.find()) {
            placeholders.add(m.group(1));
        }
    }

    public static SearchTemplate of(Map<String, Object> template) {
        return new SearchTemplate(toJson(template));
    }

    public Set<String> placeholders() {
        return placeholders;
    }

    public String json() {
        return json;
    }

    /**
     * @param requestId named in the error when a placeholder has no value
     * @throws IllegalArgumentException naming the placeholder that {@code params} does not fill
     */
    public String render(String requestId, Map<String, Object> params) {
        for (String name : placeholders) {
            if (params.containsKey(name) == false) {
                throw new IllegalArgumentException("request [" + requestId + "] gives no value for the placeholder [{{"
                        + name + "}}] of the template");
            }
        }
        String whole = replace(WHOLE_STRING, json, name -> jsonValue(params.get(name)));
        return replace(PLACEHOLDER, whole, name -> {
            String quoted = jsonValue(params.get(name) == null ? "" : String.valueOf(params.get(name)));
            return quoted.substring(1, quoted.length() - 1); // the escaped text, without its quotes
        });
    }

    private static String replace(Pattern pattern, String in, java.util.function.Function<String, String> value) {
        Matcher m = pattern.matcher(in);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(value.apply(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The placeholders of a plain text (not JSON). */
    public static Set<String> placeholdersOf(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * A plain text with its placeholders replaced by the parameters' text.
     *
     * @param missing the error for a placeholder that {@code params} does not fill
     */
    public static String fillText(
            String text,
            Map<String, Object> params,
            java.util.function.Function<String, ? extends RuntimeException> missing) {
        for (String name : placeholdersOf(text)) {
            if (params.get(name) == null) {
                throw missing.apply(name);
            }
        }
        return replace(PLACEHOLDER, text, name -> String.valueOf(params.get(name)));
    }

    static String jsonValue(Object value) {
        try {
            XContentBuilder b = JsonXContent.contentBuilder();
            b.value(value);
            return Strings.toString(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String toJson(Map<String, Object> map) {
        try {
            return Strings.toString(JsonXContent.contentBuilder().map(map));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
