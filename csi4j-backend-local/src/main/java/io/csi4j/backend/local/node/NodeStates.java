package io.csi4j.backend.local.node;

import io.csi4j.backend.local.store.RecordStore;
import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.linux.Freeze;
import io.csi4j.linux.SyscallException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node did with each volume ({@link NodeState}), in memory and in the record store: a
 * state is written before the kernel is touched, and goes once nothing is staged or published.
 */
final class NodeStates {

    private static final Logger LOG = LoggerFactory.getLogger(NodeStates.class);

    private final RecordStore<NodeState> store;
    private final Map<String, NodeState> states = new ConcurrentHashMap<>();

    NodeStates(Path dir) {
        this.store = RecordStore.of(dir, ".node", NodeState::uuid, NodeState::toProperties, NodeState::fromProperties);
    }

    /** Loads what this node had staged and published; the kernel is asked on the next call. */
    void load() throws IOException {
        for (NodeState state : store.loadAll()) {
            states.put(state.uuid(), state);
        }
        thawLeftFrozen();
        LOG.info("{} volumes staged or published on this node", states.size());
    }

    /** A crash during a snapshot would leave the filesystem frozen, and the next unmount hung. */
    private void thawLeftFrozen() {
        for (NodeState state : states.values()) {
            if (state.block() || state.staging().isEmpty()) {
                continue;
            }
            try {
                if (Freeze.thaw(state.staging().get())) {
                    LOG.warn("volume {}: thawed its filesystem, left frozen by a crash", state.volumeId());
                }
            } catch (SyscallException e) {
                LOG.debug("volume {}: no thaw at {}: {}", state.volumeId(), state.staging().get(), e.getMessage());
            }
        }
    }

    /** The state of the volume with this UUID, or null when this node holds none. */
    NodeState get(String uuid) {
        return states.get(uuid);
    }

    /** The recorded state of the volume, or a fresh one. */
    NodeState getOrFresh(VolumeRecord record, String ephemeralId) {
        return states.getOrDefault(record.id().uuid(), NodeState.fresh(record.id(), ephemeralId));
    }

    /** Whether the volume is staged or published here. */
    boolean used(String uuid) {
        NodeState state = states.get(uuid);
        return state != null && !state.idle();
    }

    /** Volumes staged here (read-only, from memory). */
    long stagedCount() {
        return states.values().stream().filter(state -> state.staging().isPresent()).count();
    }

    /** Volumes published here at least once (read-only, from memory). */
    long publishedCount() {
        return states.values().stream().filter(state -> !state.publications().isEmpty()).count();
    }

    void save(NodeState state) {
        if (state.idle()) {
            store.remove(state.uuid());
            states.remove(state.uuid());
        } else {
            store.save(state);
            states.put(state.uuid(), state);
        }
    }
}
