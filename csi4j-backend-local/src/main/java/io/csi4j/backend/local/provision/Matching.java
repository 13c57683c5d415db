package io.csi4j.backend.local.provision;

import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.LocalParameters;
import io.csi4j.spi.Volume;
import io.csi4j.spi.VolumeAlreadyExists;
import io.csi4j.spi.VolumeCapability;
import io.csi4j.spi.VolumeSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An existing volume against what a call asks of it: a repeated CreateVolume must ask for the
 * volume as it is, ValidateVolumeCapabilities names what the volume cannot give. Also the volume
 * as callers see it.
 */
final class Matching {

    private Matching() {}

    /** Refuses (ALREADY_EXISTS) a CreateVolume of the name of {@code record} that asks for another volume. */
    static void check(VolumeRecord record, VolumeSpec spec, LocalParameters parameters, Access access,
                      Map<String, String> segment) {
        if (!record.source().equals(Sources.nameOf(spec.source()))) {
            throw new VolumeAlreadyExists("volume " + spec.name() + " exists, made from "
                    + (record.source().isEmpty() ? "nothing" : record.source()));
        }
        if (record.type() != parameters.type()) {
            throw new VolumeAlreadyExists("volume " + spec.name() + " exists with type " + record.type().parameterValue());
        }
        if (!LocalParameters.parse(record.parameters()).equals(parameters)) {
            throw new VolumeAlreadyExists("volume " + spec.name() + " exists with other parameters "
                    + new TreeMap<>(record.parameters()));
        }
        if (record.block() != access.block() || !record.fsType().equals(access.fsType())) {
            throw new VolumeAlreadyExists("volume " + spec.name() + " exists as "
                    + (record.block() ? "a block volume" : "a " + record.fsType() + " filesystem"));
        }
        if (!spec.capacity().admits(record.capacityBytes())) {
            throw new VolumeAlreadyExists("volume " + spec.name() + " exists with " + record.capacityBytes()
                    + " bytes, outside the requested range");
        }
        if (!spec.topology().admits(segment)) {
            throw new VolumeAlreadyExists("volume " + spec.name() + " exists on node " + record.id().node()
                    + ", which the requested topology excludes");
        }
    }

    /** Why the volume cannot give one of {@code wanted}, if it cannot. */
    static Optional<String> unsupported(VolumeRecord record, List<VolumeCapability> wanted) {
        for (VolumeCapability capability : wanted) {
            if (capability.mode().multiNode()) {
                return Optional.of("local volumes live on one node: access mode " + capability.mode() + " is not supported");
            }
            if (capability.isBlock() != record.block()) {
                return Optional.of(record.block() ? "the volume is a raw block volume" : "the volume is a filesystem volume");
            }
            if (capability.access() instanceof VolumeCapability.Mount mount && !mount.fsType().isEmpty()
                    && !mount.fsType().equals(record.fsType())) {
                return Optional.of("the volume has a " + record.fsType() + " filesystem, not " + mount.fsType());
            }
        }
        return Optional.empty();
    }

    /** The volume as callers see it: its ID, size, what it is, and the node it lives on. */
    static Volume volume(VolumeRecord record, Map<String, String> segment) {
        Map<String, String> context = new HashMap<>();
        context.put("type", record.type().parameterValue());
        context.put("access", record.block() ? "block" : "mount");
        if (!record.block() && !record.fsType().isEmpty()) {
            context.put("fsType", record.fsType());
        }
        context.put("capacityEnforced", Boolean.toString(record.capacityEnforced()));
        return new Volume(record.id().toString(), record.capacityBytes(), context, List.of(segment));
    }
}
