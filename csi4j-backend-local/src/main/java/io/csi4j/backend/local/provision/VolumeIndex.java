package io.csi4j.backend.local.provision;

import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.LocalVolumeId;
import io.csi4j.backend.local.volume.VolumeType;
import java.util.Collection;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The volumes of this node in memory, by UUID and by name, loaded once at start: every call
 * costs the same however many volumes exist. Also the project IDs that directory volumes hold.
 */
final class VolumeIndex {

    private final ConcurrentSkipListMap<String, VolumeRecord> byUuid = new ConcurrentSkipListMap<>();
    private final Map<String, String> uuidByName = new ConcurrentHashMap<>();
    private final Set<Integer> projectIds = ConcurrentHashMap.newKeySet();
    private final boolean projectQuotas;

    /** @param projectQuotas whether directory volumes' quota IDs are project IDs that must stay unique */
    VolumeIndex(boolean projectQuotas) {
        this.projectQuotas = projectQuotas;
    }

    Optional<VolumeRecord> get(String uuid) {
        return Optional.ofNullable(byUuid.get(uuid));
    }

    Optional<String> uuidOfName(String name) {
        return Optional.ofNullable(uuidByName.get(name));
    }

    boolean contains(String uuid) {
        return byUuid.containsKey(uuid);
    }

    int size() {
        return byUuid.size();
    }

    Collection<VolumeRecord> all() {
        return byUuid.values();
    }

    /** The records in UUID order, for paging. */
    NavigableMap<String, VolumeRecord> byUuid() {
        return byUuid;
    }

    /** Adds a volume, or replaces it after a change. */
    void put(VolumeRecord record) {
        if (record.type() == VolumeType.DIRECTORY && record.quotaId() > 0 && projectQuotas) {
            projectIds.add((int) record.quotaId()); // so that no new volume takes it
        }
        byUuid.put(record.id().uuid(), record);
        uuidByName.put(record.name(), record.id().uuid());
    }

    /** Removes a volume; false when it was not there. */
    boolean remove(VolumeRecord record) {
        if (byUuid.remove(record.id().uuid()) == null) {
            return false;
        }
        projectIds.remove((int) record.quotaId());
        uuidByName.remove(record.name(), record.id().uuid());
        return true;
    }

    /**
     * A project ID for a new directory volume: derived from its UUID, in a range clear of the small
     * IDs administrators hand out, and not used by another volume here.
     */
    int newProjectId(LocalVolumeId id) {
        int candidate = (int) (Long.parseLong(id.uuid().substring(0, 7), 16) % (Integer.MAX_VALUE - (1 << 24))) + (1 << 24);
        while (!projectIds.add(candidate)) {
            candidate = candidate == Integer.MAX_VALUE ? 1 << 24 : candidate + 1;
        }
        return candidate;
    }

    /** Gives back the project ID of a volume that was not made after all. */
    void releaseProjectId(int projectId) {
        projectIds.remove(projectId);
    }
}
