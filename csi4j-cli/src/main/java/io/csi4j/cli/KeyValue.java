package io.csi4j.cli;

/**
 * One {@code KEY=VALUE} argument. A secret one never shows its value, not even in
 * {@link #toString()}, so neither picocli nor a careless message can print it.
 */
public record KeyValue(String key, String value, boolean secret) {

    @Override
    public String toString() {
        return key + "=" + (secret ? "***" : value);
    }
}
