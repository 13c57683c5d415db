package io.csi4j.cli;

import csi.v1.Topology;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;

/**
 * Parses {@code KEY=VALUE} arguments ({@code --param}, {@code --secret}, {@code --topology}) and
 * {@code KEY=VALUE[,KEY=VALUE]} topologies, and folds them into the maps CSI requests carry.
 * Messages about a secret name its key at most, never its value.
 */
public final class KeyValues {

    private KeyValues() {}

    /** {@code KEY=VALUE} split at the first {@code =}; the key must not be empty, the value may be. */
    public static KeyValue parse(String text, boolean secret) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(secret
                    ? "expected KEY=VALUE" + (eq == 0 ? " with a non-empty key" : "")
                    : "'" + text + "' is not KEY=VALUE" + (eq == 0 ? ": the key is empty" : ""));
        }
        return new KeyValue(text.substring(0, eq), text.substring(eq + 1), secret);
    }

    /** The pairs as a map in argument order; {@link IllegalArgumentException} on a key given twice. */
    public static Map<String, String> toMap(Collection<KeyValue> pairs, String option) {
        Map<String, String> map = new LinkedHashMap<>();
        for (KeyValue pair : pairs) {
            if (map.putIfAbsent(pair.key(), pair.value()) != null) {
                throw new IllegalArgumentException(option + ": key '" + pair.key() + "' given twice");
            }
        }
        return map;
    }

    /** The values of the pairs, for {@link RpcCommand#secretValues()}. */
    public static List<String> values(Collection<KeyValue> pairs) {
        List<String> values = new ArrayList<>();
        for (KeyValue pair : pairs) {
            values.add(pair.value());
        }
        return values;
    }

    /** A topology segment map from {@code KEY=VALUE[,KEY=VALUE]}. */
    public static Topology topology(String text) {
        Map<String, String> segments = new LinkedHashMap<>();
        for (String part : text.split(",", -1)) {
            KeyValue pair = parse(part, false);
            if (segments.putIfAbsent(pair.key(), pair.value()) != null) {
                throw new IllegalArgumentException("'" + text + "' names segment '" + pair.key() + "' twice");
            }
        }
        return Topology.newBuilder().putAllSegments(segments).build();
    }

    /** Converter of plain {@code KEY=VALUE} options. */
    public static final class Plain implements ITypeConverter<KeyValue> {
        @Override
        public KeyValue convert(String value) {
            return Conversions.converted(text -> parse(text, false), value);
        }
    }

    /** Converter of {@code --secret KEY=VALUE}: its errors never repeat the argument. */
    public static final class Secret implements ITypeConverter<KeyValue> {
        @Override
        public KeyValue convert(String value) {
            return Conversions.converted(text -> parse(text, true), value);
        }
    }

    /** Converter of {@code KEY=VALUE[,KEY=VALUE]} topology options. */
    public static final class TopologyConverter implements ITypeConverter<Topology> {
        @Override
        public Topology convert(String value) {
            return Conversions.converted(KeyValues::topology, value);
        }
    }
}
