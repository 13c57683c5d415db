package io.csi4j.server;

import io.csi4j.spi.Feature;
import io.csi4j.spi.NodeVolumes;
import io.csi4j.spi.Readiness;
import io.csi4j.spi.StorageBackend;
import io.csi4j.spi.VolumeProvisioner;
import io.csi4j.spi.VolumeSnapshots;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A fixture for the server runtime: a backend whose features, provisioner, snapshots, node side
 * and readiness the test sets. The real backends are tested in their own modules.
 */
public final class FixtureBackend implements StorageBackend {
    private final Set<Feature> features;
    private final Optional<VolumeProvisioner> provisioner;
    private final Optional<VolumeSnapshots> snapshots;
    private final Optional<NodeVolumes> node;
    volatile Supplier<Readiness> readiness = Readiness::ready;

    public FixtureBackend(Set<Feature> features, Optional<VolumeProvisioner> provisioner) {
        this(features, provisioner, Optional.empty(), Optional.empty());
    }

    public FixtureBackend(Set<Feature> features, Optional<VolumeProvisioner> provisioner,
                          Optional<VolumeSnapshots> snapshots, Optional<NodeVolumes> node) {
        this.features = features;
        this.provisioner = provisioner;
        this.snapshots = snapshots;
        this.node = node;
    }

    @Override
    public String name() {
        return "fixture";
    }

    @Override
    public Readiness readiness() {
        return readiness.get();
    }

    @Override
    public Set<Feature> features() {
        return features;
    }

    @Override
    public Optional<VolumeProvisioner> provisioner() {
        return provisioner;
    }

    @Override
    public Optional<VolumeSnapshots> snapshots() {
        return snapshots;
    }

    @Override
    public Optional<NodeVolumes> node() {
        return node;
    }
}
