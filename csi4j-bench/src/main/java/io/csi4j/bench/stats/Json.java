package io.csi4j.bench.stats;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;

/**
 * A small JSON writer for {@link Report}s: objects, arrays, strings, numbers, booleans, indented
 * two spaces. The report is a fixed tree of records, so this is all the tool needs of JSON.
 */
final class Json {

    private final StringBuilder out = new StringBuilder();
    /** One entry per open object or array: whether it has an element yet. */
    private final Deque<Boolean> open = new ArrayDeque<>();
    private boolean afterKey;

    Json object() {
        beforeValue();
        out.append('{');
        open.push(false);
        return this;
    }

    Json endObject() {
        return close('}');
    }

    Json array() {
        beforeValue();
        out.append('[');
        open.push(false);
        return this;
    }

    Json endArray() {
        return close(']');
    }

    /** The key of the next value, inside an object. */
    Json key(String key) {
        beforeValue();
        string(key);
        out.append(": ");
        afterKey = true;
        return this;
    }

    Json value(String text) {
        beforeValue();
        string(text);
        return this;
    }

    Json value(long number) {
        beforeValue();
        out.append(number);
        return this;
    }

    Json value(double number) {
        beforeValue();
        out.append(Double.isFinite(number) ? String.format(Locale.ROOT, "%.3f", number) : "null");
        return this;
    }

    Json value(boolean flag) {
        beforeValue();
        out.append(flag);
        return this;
    }

    Json counts(Map<String, Long> counts) {
        object();
        counts.forEach((key, count) -> key(key).value(count));
        return endObject();
    }

    Json texts(Map<String, String> texts) {
        object();
        texts.forEach((key, text) -> key(key).value(text));
        return endObject();
    }

    private Json close(char bracket) {
        if (open.pop()) {
            newline();
        }
        out.append(bracket);
        return this;
    }

    private void beforeValue() {
        if (afterKey) {
            afterKey = false;
            return;
        }
        if (!open.isEmpty()) {
            if (open.pop()) {
                out.append(',');
            }
            open.push(true);
            newline();
        }
    }

    private void newline() {
        out.append('\n').append("  ".repeat(open.size()));
    }

    private void string(String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
