package org.scratchnet.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal streaming JSON writer for the results file (objects, arrays, strings, numbers, booleans, null; NaN and
 * infinities become null, as JSON has no such numbers). Small enough that a JSON library would be more weight than
 * help; the output is indented two spaces per level.
 */
final class Json {

    private final StringBuilder sb = new StringBuilder();
    private int depth;
    private boolean first = true;
    private boolean afterName;

    Json beginObject() {
        prefix();
        sb.append('{');
        depth++;
        first = true;
        return this;
    }

    Json endObject() {
        return close('}');
    }

    Json beginArray() {
        prefix();
        sb.append('[');
        depth++;
        first = true;
        return this;
    }

    Json endArray() {
        return close(']');
    }

    Json name(String name) {
        prefix();
        string(name);
        sb.append(": ");
        afterName = true;
        return this;
    }

    Json value(String s) {
        prefix();
        if (s == null) {
            sb.append("null");
        } else {
            string(s);
        }
        return this;
    }

    Json value(double v) {
        prefix();
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            sb.append("null");
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            sb.append((long) v);
        } else {
            sb.append(Double.toString(v));
        }
        return this;
    }

    Json value(long v) {
        prefix();
        sb.append(v);
        return this;
    }

    Json value(boolean v) {
        prefix();
        sb.append(v);
        return this;
    }

    /** Strings, numbers, booleans, null, lists and maps with string keys, recursively. */
    Json value(Object o) {
        if (o == null || o instanceof String) {
            return value((String) o);
        }
        if (o instanceof Boolean b) {
            return value(b.booleanValue());
        }
        if (o instanceof Integer || o instanceof Long) {
            return value(((Number) o).longValue());
        }
        if (o instanceof Number n) {
            return value(n.doubleValue());
        }
        if (o instanceof Map<?, ?> m) {
            beginObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                name(String.valueOf(e.getKey())).value(e.getValue());
            }
            return endObject();
        }
        if (o instanceof List<?> l) {
            beginArray();
            for (Object x : l) {
                value(x);
            }
            return endArray();
        }
        return value(o.toString());
    }

    private Json close(char c) {
        depth--;
        if (!first) {
            newline();
        }
        sb.append(c);
        first = false;
        return this;
    }

    private void prefix() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (depth > 0) {
            if (!first) {
                sb.append(',');
            }
            newline();
        }
        first = false;
    }

    private void newline() {
        sb.append('\n');
        sb.append("  ".repeat(depth));
    }

    private void string(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
