package io.csi4j.bench.journal;

/**
 * An object that may still exist on the driver.
 *
 * @param id the ID the driver gave it, or empty when its creating call never answered
 */
public record Pending(Made made, String id) {}
