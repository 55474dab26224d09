package org.semanticranking.integ;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Mutates a valid JSON body the ways a careless client or an attacker would: a value of the wrong type, null, an
 * empty or a huge value, deep nesting, a key removed, an unknown key added. Seeded: the same seed gives the same
 * bodies. Each mutation is described, so a failure names what was sent.
 */
final class JsonMutator {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String HUGE_TEXT = "usb cable ".repeat(10_000);

    private final Random random;

    JsonMutator(Random random) {
        this.random = random;
    }

    /** A slot in the tree: an object's field or an array's element. */
    private record Slot(JsonNode parent, String field, int index, String path) {
        JsonNode get() {
            return field != null ? parent.get(field) : parent.get(index);
        }

        void set(JsonNode value) {
            if (field != null) {
                ((ObjectNode) parent).set(field, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }

        void remove() {
            if (field != null) {
                ((ObjectNode) parent).remove(field);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }
    }

    /** A mutated copy of {@code body} and what was done to it. */
    record Mutated(JsonNode body, List<String> changes) {}

    Mutated mutate(JsonNode body, int mutations) {
        JsonNode copy = body.deepCopy();
        List<String> changes = new ArrayList<>();
        for (int m = 0; m < mutations; m++) {
            List<Slot> slots = new ArrayList<>();
            collect(copy, "", slots);
            if (slots.isEmpty()) {
                break;
            }
            Slot slot = slots.get(random.nextInt(slots.size()));
            changes.add(apply(slot, copy));
        }
        return new Mutated(copy, changes);
    }

    private static void collect(JsonNode node, String path, List<Slot> slots) {
        if (node.isObject()) {
            Iterator<String> names = node.fieldNames();
            List<String> fields = new ArrayList<>();
            names.forEachRemaining(fields::add);
            for (String f : fields) {
                slots.add(new Slot(node, f, -1, path + "." + f));
                collect(node.get(f), path + "." + f, slots);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                slots.add(new Slot(node, null, i, path + "[" + i + "]"));
                collect(node.get(i), path + "[" + i + "]", slots);
            }
        }
    }

    private String apply(Slot slot, JsonNode root) {
        JsonNode current = slot.get();
        switch (random.nextInt(8)) {
            case 0 -> {
                JsonNode other = otherType(current);
                slot.set(other);
                return slot.path() + " = " + abbreviate(other);
            }
            case 1 -> {
                slot.set(F.nullNode());
                return slot.path() + " = null";
            }
            case 2 -> {
                JsonNode empty =
                        current.isArray() ? F.arrayNode() : current.isObject() ? F.objectNode() : F.textNode("");
                slot.set(empty);
                return slot.path() + " = " + empty;
            }
            case 3 -> {
                JsonNode huge = huge(current);
                slot.set(huge);
                return slot.path() + " = huge " + abbreviate(huge);
            }
            case 4 -> {
                JsonNode deep = current;
                int depth = 20 + random.nextInt(180);
                for (int i = 0; i < depth; i++) {
                    deep = random.nextBoolean()
                            ? F.arrayNode().add(deep)
                            : F.objectNode().set("a", deep);
                }
                slot.set(deep);
                return slot.path() + " nested " + depth + " deep";
            }
            case 5 -> {
                slot.remove();
                return slot.path() + " removed";
            }
            case 6 -> {
                JsonNode target = current.isObject() ? current : slot.parent().isObject() ? slot.parent() : root;
                if (target.isObject()) {
                    ((ObjectNode) target).put("fz_unknown_" + random.nextInt(100), random.nextInt(10));
                    return slot.path() + " gets an unknown key";
                }
                slot.set(F.arrayNode().add(current.deepCopy()).add(current.deepCopy()));
                return slot.path() + " doubled into an array";
            }
            default -> {
                ArrayNode two = F.arrayNode().add(current.deepCopy()).add(current.deepCopy());
                slot.set(two);
                return slot.path() + " = [it, it]";
            }
        }
    }

    private JsonNode otherType(JsonNode current) {
        List<JsonNode> choices = new ArrayList<>(List.of(
                F.textNode("x"),
                F.numberNode(0),
                F.numberNode(-1),
                F.numberNode(3.5),
                F.booleanNode(true),
                F.objectNode().put("a", 1),
                F.arrayNode().add(1).add("a"),
                F.numberNode(Long.MAX_VALUE)));
        choices.removeIf(c -> c.getNodeType() == current.getNodeType());
        return choices.get(random.nextInt(choices.size()));
    }

    private JsonNode huge(JsonNode current) {
        if (current.isTextual()) {
            return F.textNode(HUGE_TEXT);
        }
        if (current.isNumber()) {
            return switch (random.nextInt(4)) {
                case 0 -> F.numberNode(1e308);
                case 1 -> F.numberNode(-1e308);
                case 2 -> F.numberNode(Long.MAX_VALUE);
                default -> F.numberNode(Integer.MAX_VALUE + 1L);
            };
        }
        if (current.isArray() || current.isObject()) {
            ArrayNode many = F.arrayNode();
            JsonNode element = current.isArray() && current.size() > 0 ? current.get(0) : current;
            for (int i = 0; i < 1_000; i++) {
                many.add(element.deepCopy());
            }
            return many;
        }
        return F.textNode(HUGE_TEXT);
    }

    private static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }
}
