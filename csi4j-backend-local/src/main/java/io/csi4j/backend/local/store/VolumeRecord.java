package io.csi4j.backend.local.store;

import io.csi4j.backend.local.volume.LocalVolumeId;
import io.csi4j.backend.local.volume.VolumeType;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What the driver remembers of one volume: written as its own small file, so that a change to
 * one volume never rewrites another's.
 *
 * @param state        {@code creating} until the volume is complete, {@code ready}, or
 *                     {@code deleting} once deletion began; a restart finishes or undoes what
 *                     was in flight
 * @param block        raw block access (else a filesystem of {@code fsType})
 * @param reservedBytes what this volume holds back from new volumes' room: its capacity, unless
 *                     the class allowed over-commit
 * @param quotaId      what enforces a directory volume's capacity: its project ID, or its btrfs
 *                     subvolume ID; 0 for none
 * @param parameters   the StorageClass parameters it was created with
 * @param growPending  the image grew (expansion, or a restore into a larger volume) and its
 *                     filesystem has not caught up yet: the next stage or node expansion grows it
 * @param source       what it was made from: "" (empty), {@code snapshot:<id>} or {@code volume:<id>}
 */
public record VolumeRecord(LocalVolumeId id, String name, String state, VolumeType type, long capacityBytes,
                    boolean block, String fsType, long reservedBytes, boolean capacityEnforced, long quotaId,
                    Map<String, String> parameters, boolean growPending, String source) {

    public static final String CREATING = "creating";
    public static final String READY = "ready";
    public static final String DELETING = "deleting";

    private static final String PARAM = "param.";

    public VolumeRecord {
        RecordHeader.require(id, name, state);
        Objects.requireNonNull(type, "type");
        parameters = Map.copyOf(parameters);
        Objects.requireNonNull(source, "source");
    }

    public VolumeRecord(LocalVolumeId id, String name, String state, VolumeType type, long capacityBytes, boolean block,
                 String fsType, long reservedBytes, boolean capacityEnforced, long quotaId, Map<String, String> parameters) {
        this(id, name, state, type, capacityBytes, block, fsType, reservedBytes, capacityEnforced, quotaId, parameters,
                false, "");
    }

    /** This volume grown to {@code bytes}, holding back {@code reserved}; its filesystem still to follow. */
    public VolumeRecord grownTo(long bytes, long reserved) {
        return new VolumeRecord(id, name, state, type, bytes, block, fsType, reserved, capacityEnforced, quotaId,
                parameters, type == VolumeType.IMAGE && !block, source);
    }

    public VolumeRecord withSource(String newSource) {
        return new VolumeRecord(id, name, state, type, capacityBytes, block, fsType, reservedBytes, capacityEnforced,
                quotaId, parameters, growPending, newSource);
    }

    public VolumeRecord withGrowPending(boolean pending) {
        return new VolumeRecord(id, name, state, type, capacityBytes, block, fsType, reservedBytes, capacityEnforced,
                quotaId, parameters, pending, source);
    }

    public VolumeRecord withState(String newState) {
        return new VolumeRecord(id, name, newState, type, capacityBytes, block, fsType, reservedBytes,
                capacityEnforced, quotaId, parameters, growPending, source);
    }

    public VolumeRecord withQuotaId(long newQuotaId) {
        return new VolumeRecord(id, name, state, type, capacityBytes, block, fsType, reservedBytes,
                capacityEnforced, newQuotaId, parameters, growPending, source);
    }

    Properties toProperties() {
        Properties p = RecordHeader.write(id, name, state);
        p.setProperty("type", type.parameterValue());
        p.setProperty("capacityBytes", Long.toString(capacityBytes));
        p.setProperty("block", Boolean.toString(block));
        p.setProperty("fsType", fsType);
        p.setProperty("reservedBytes", Long.toString(reservedBytes));
        p.setProperty("capacityEnforced", Boolean.toString(capacityEnforced));
        p.setProperty("quotaId", Long.toString(quotaId));
        p.setProperty("growPending", Boolean.toString(growPending));
        p.setProperty("source", source);
        new TreeMap<>(parameters).forEach((k, v) -> p.setProperty(PARAM + k, v));
        return p;
    }

    static VolumeRecord fromProperties(Properties p) {
        RecordHeader.check(p, "record");
        Map<String, String> parameters = new HashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith(PARAM)) {
                parameters.put(key.substring(PARAM.length()), p.getProperty(key));
            }
        }
        return new VolumeRecord(
                LocalVolumeId.parse(p.getProperty("id")).orElseThrow(() -> new IllegalArgumentException("bad id")),
                p.getProperty("name"),
                p.getProperty("state"),
                VolumeType.fromParameter(p.getProperty("type")),
                Long.parseLong(p.getProperty("capacityBytes")),
                Boolean.parseBoolean(p.getProperty("block")),
                p.getProperty("fsType", ""),
                Long.parseLong(p.getProperty("reservedBytes", "0")),
                Boolean.parseBoolean(p.getProperty("capacityEnforced", "true")),
                Long.parseLong(p.getProperty("quotaId", "0")),
                parameters,
                Boolean.parseBoolean(p.getProperty("growPending", "false")),
                p.getProperty("source", ""));
    }
}
