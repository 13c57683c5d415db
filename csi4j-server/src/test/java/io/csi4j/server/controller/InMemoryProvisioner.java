package io.csi4j.server.controller;

import io.csi4j.spi.CapacityOutOfRange;
import io.csi4j.spi.CapacityQuery;
import io.csi4j.spi.CapacityRange;
import io.csi4j.spi.CapacityReport;
import io.csi4j.spi.Expansion;
import io.csi4j.spi.InvalidPageToken;
import io.csi4j.spi.OperationPending;
import io.csi4j.spi.SnapshotNotFound;
import io.csi4j.spi.Volume;
import io.csi4j.spi.VolumeAlreadyExists;
import io.csi4j.spi.VolumeCapability;
import io.csi4j.spi.VolumeNotFound;
import io.csi4j.spi.VolumePage;
import io.csi4j.spi.VolumeProvisioner;
import io.csi4j.spi.VolumeSource;
import io.csi4j.spi.VolumeSpec;
import io.csi4j.spi.VolumeStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fixture for the server's protocol handling: volumes in two maps, by name and by ID, and a
 * record of every value the server handed in, so tests can check the conversions. It follows the
 * {@link VolumeProvisioner} contract only as far as the server's tests need (idempotent create,
 * {@link VolumeAlreadyExists}, {@link VolumeNotFound} before anything about the volume,
 * {@link InvalidPageToken}, growth without shrinking,
 * {@link OperationPending} for names and IDs marked busy). The real backend is tested through the
 * driver.
 */
final class InMemoryProvisioner implements VolumeProvisioner {

    static final long DEFAULT_SIZE = 1L << 30;

    private record Entry(VolumeSpec spec, Volume volume) {}

    private final Map<String, Entry> byName = new HashMap<>();
    private final Map<String, Entry> byId = new LinkedHashMap<>();
    private int nextId = 1;

    /** Names and volume IDs whose calls answer {@link OperationPending}; tests add to it. */
    final Set<String> busy = ConcurrentHashMap.newKeySet();
    /** Nodes each volume is published to, by volume ID; tests set it. */
    final Map<String, List<String>> published = new ConcurrentHashMap<>();
    /** Messages of volumes that are abnormal, by volume ID; tests set it. */
    final Map<String, String> abnormal = new ConcurrentHashMap<>();
    /** What {@link #capacity} answers; tests set it. */
    volatile CapacityReport capacityReport = new CapacityReport(0, 0, 0);

    // What the server handed in, call by call.
    private final List<VolumeSpec> created = new ArrayList<>();
    private final List<String> deleted = new ArrayList<>();
    private final List<String> lookedUp = new ArrayList<>();
    private final List<String> listed = new ArrayList<>();
    private final List<List<VolumeCapability>> validated = new ArrayList<>();
    private final List<CapacityQuery> queried = new ArrayList<>();

    synchronized List<VolumeSpec> created() {
        return List.copyOf(created);
    }

    synchronized List<String> deleted() {
        return List.copyOf(deleted);
    }

    synchronized List<String> lookedUp() {
        return List.copyOf(lookedUp);
    }

    /** The listing calls, each as "maxEntries/token". */
    synchronized List<String> listed() {
        return List.copyOf(listed);
    }

    synchronized List<List<VolumeCapability>> validated() {
        return List.copyOf(validated);
    }

    synchronized List<CapacityQuery> queried() {
        return List.copyOf(queried);
    }

    /** Whether the server called the provisioner at all. */
    synchronized boolean untouched() {
        return created.isEmpty() && deleted.isEmpty() && lookedUp.isEmpty() && listed.isEmpty()
                && validated.isEmpty() && queried.isEmpty();
    }

    @Override
    public synchronized Volume create(VolumeSpec spec) {
        created.add(spec);
        pending(spec.name());
        Entry existing = byName.get(spec.name());
        if (existing != null) {
            if (!existing.spec().equals(spec)) {
                throw new VolumeAlreadyExists("volume " + spec.name() + " exists with other properties");
            }
            return existing.volume();
        }
        switch (spec.source()) {
            case VolumeSource.FromVolume clone when !byId.containsKey(clone.volumeId()) ->
                    throw new VolumeNotFound("source volume " + clone.volumeId() + " does not exist");
            case VolumeSource.FromSnapshot copy ->
                    throw new SnapshotNotFound("source snapshot " + copy.snapshotId() + " does not exist");
            default -> {}
        }
        long size = spec.capacity().hasRequired() ? spec.capacity().requiredBytes()
                : spec.capacity().hasLimit() ? spec.capacity().limitBytes() : DEFAULT_SIZE;
        List<Map<String, String>> where = !spec.topology().preferred().isEmpty()
                ? List.of(spec.topology().preferred().getFirst())
                : !spec.topology().requisite().isEmpty() ? List.of(spec.topology().requisite().getFirst()) : List.of();
        Volume volume = new Volume("vol-" + nextId++, size, Map.of("name", spec.name()), where);
        Entry entry = new Entry(spec, volume);
        byName.put(spec.name(), entry);
        byId.put(volume.id(), entry);
        return volume;
    }

    @Override
    public synchronized void delete(String volumeId) {
        deleted.add(volumeId);
        pending(volumeId);
        Entry entry = byId.remove(volumeId);
        if (entry != null) {
            byName.remove(entry.spec().name());
        }
    }

    @Override
    public synchronized Optional<VolumeStatus> get(String volumeId) {
        lookedUp.add(volumeId);
        pending(volumeId);
        return Optional.ofNullable(byId.get(volumeId)).map(this::status);
    }

    /** Pages of {@code maxEntries} (0: all) in creation order; tokens are "page:" and an index. */
    @Override
    public synchronized VolumePage list(int maxEntries, String token) {
        listed.add(maxEntries + "/" + token);
        int from = 0;
        if (!token.isEmpty()) {
            if (!token.matches("page:[0-9]{1,6}")) {
                throw new InvalidPageToken("listing token " + token + " was not issued here");
            }
            from = Integer.parseInt(token.substring("page:".length()));
            if (from > byId.size()) {
                throw new InvalidPageToken("listing token " + token + " is past the end");
            }
        }
        List<Entry> all = List.copyOf(byId.values());
        int to = maxEntries == 0 ? all.size() : Math.min(all.size(), from + maxEntries);
        return new VolumePage(all.subList(from, to).stream().map(this::status).toList(),
                to < all.size() ? "page:" + to : "");
    }

    /** A volume supports the access types and modes it was created with. */
    @Override
    public synchronized Optional<String> unsupported(String volumeId, List<VolumeCapability> wanted) {
        validated.add(wanted);
        pending(volumeId);
        Entry entry = byId.get(volumeId);
        if (entry == null) {
            throw new VolumeNotFound("volume " + volumeId + " does not exist");
        }
        for (VolumeCapability capability : wanted) {
            boolean served = entry.spec().capabilities().stream().anyMatch(
                    c -> c.isBlock() == capability.isBlock() && c.mode() == capability.mode());
            if (!served) {
                return Optional.of("volume " + volumeId + " does not support "
                        + (capability.isBlock() ? "block" : "mount") + " " + capability.mode());
            }
        }
        return Optional.empty();
    }

    /** Grows to the required size; never shrinks (OUT_OF_RANGE), as the contract asks. */
    @Override
    public synchronized Expansion expand(String volumeId, CapacityRange range) {
        pending(volumeId);
        Entry entry = byId.get(volumeId);
        if (entry == null) {
            throw new VolumeNotFound("volume " + volumeId + " does not exist");
        }
        Volume volume = entry.volume();
        if (range.hasRequired() && range.requiredBytes() < volume.capacityBytes()) {
            throw new CapacityOutOfRange("volume " + volumeId + " has " + volume.capacityBytes()
                    + " bytes; it cannot shrink to " + range.requiredBytes());
        }
        long size = Math.max(volume.capacityBytes(), range.requiredBytes());
        Volume grown = new Volume(volume.id(), size, volume.context(), volume.accessibleTopology());
        Entry replaced = new Entry(entry.spec(), grown);
        byId.put(volumeId, replaced);
        byName.put(entry.spec().name(), replaced);
        return new Expansion(size, false);
    }

    @Override
    public synchronized CapacityReport capacity(CapacityQuery query) {
        queried.add(query);
        return capacityReport;
    }

    private VolumeStatus status(Entry entry) {
        String id = entry.volume().id();
        String problem = abnormal.get(id);
        return new VolumeStatus(entry.volume(), published.getOrDefault(id, List.of()), problem != null,
                problem != null ? problem : "ok");
    }

    private void pending(String key) {
        if (busy.contains(key)) {
            throw new OperationPending("an operation on " + key + " is in progress");
        }
    }
}
