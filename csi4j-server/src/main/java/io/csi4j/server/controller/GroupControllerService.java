package io.csi4j.server.controller;

import csi.v1.CreateVolumeGroupSnapshotRequest;
import csi.v1.CreateVolumeGroupSnapshotResponse;
import csi.v1.DeleteVolumeGroupSnapshotRequest;
import csi.v1.DeleteVolumeGroupSnapshotResponse;
import csi.v1.GetVolumeGroupSnapshotRequest;
import csi.v1.GetVolumeGroupSnapshotResponse;
import csi.v1.GroupControllerGetCapabilitiesRequest;
import csi.v1.GroupControllerGetCapabilitiesResponse;
import csi.v1.GroupControllerGrpc;
import io.csi4j.server.config.Capabilities;
import io.csi4j.server.convert.Protos;
import io.csi4j.server.status.StatusMapper;
import io.csi4j.spi.GroupSnapshot;
import io.csi4j.spi.Snapshot;
import io.csi4j.spi.SnapshotNotFound;
import io.csi4j.spi.VolumeSnapshots;
import io.grpc.stub.StreamObserver;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The GroupController service: snapshots of several volumes taken together. Registered only
 * when the backend can do it, so everything here is served.
 */
public final class GroupControllerService extends GroupControllerGrpc.GroupControllerImplBase {

    private final GroupControllerGetCapabilitiesResponse capabilities;
    private final VolumeSnapshots snapshots;

    public GroupControllerService(Capabilities capabilities, VolumeSnapshots snapshots) {
        this.capabilities = GroupControllerGetCapabilitiesResponse.newBuilder()
                .addAllCapabilities(capabilities.groupController())
                .build();
        this.snapshots = snapshots;
    }

    @Override
    public void groupControllerGetCapabilities(GroupControllerGetCapabilitiesRequest request,
                                               StreamObserver<GroupControllerGetCapabilitiesResponse> response) {
        response.onNext(capabilities);
        response.onCompleted();
    }

    @Override
    public void createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest request,
                                          StreamObserver<CreateVolumeGroupSnapshotResponse> response) {
        StatusMapper.required(request.getName(), "name");
        List<String> sources = request.getSourceVolumeIdsList();
        if (sources.isEmpty()) {
            throw StatusMapper.invalidArgument("source_volume_ids are required");
        }
        if (new HashSet<>(sources).size() != sources.size() || sources.contains("")) {
            throw StatusMapper.invalidArgument("source_volume_ids must be distinct and not empty");
        }
        GroupSnapshot group = snapshots.createGroup(request.getName(), sources, request.getParametersMap());
        response.onNext(CreateVolumeGroupSnapshotResponse.newBuilder()
                .setGroupSnapshot(Protos.groupSnapshot(group)).build());
        response.onCompleted();
    }

    @Override
    public void deleteVolumeGroupSnapshot(DeleteVolumeGroupSnapshotRequest request,
                                          StreamObserver<DeleteVolumeGroupSnapshotResponse> response) {
        String id = groupId(request.getGroupSnapshotId());
        // snapshot_ids is REQUIRED in the spec, but csi-sanity deletes and gets groups without it, so
        // an empty list means "do not check". A group that is gone is deleted (OK), so only an
        // existing one is compared with the list.
        snapshots.getGroup(id, List.of()).ifPresent(group -> checkMembers(group, request.getSnapshotIdsList()));
        snapshots.deleteGroup(id, request.getSnapshotIdsList());
        response.onNext(DeleteVolumeGroupSnapshotResponse.getDefaultInstance());
        response.onCompleted();
    }

    @Override
    public void getVolumeGroupSnapshot(GetVolumeGroupSnapshotRequest request,
                                       StreamObserver<GetVolumeGroupSnapshotResponse> response) {
        String id = groupId(request.getGroupSnapshotId());
        // NOT_FOUND first: a list can only mismatch a group that exists.
        GroupSnapshot group = snapshots.getGroup(id, List.of())
                .orElseThrow(() -> new SnapshotNotFound("group snapshot " + id + " does not exist"));
        checkMembers(group, request.getSnapshotIdsList());
        response.onNext(GetVolumeGroupSnapshotResponse.newBuilder().setGroupSnapshot(Protos.groupSnapshot(group)).build());
        response.onCompleted();
    }

    /**
     * The spec's table answers a snapshot_ids list other than the group's members with
     * INVALID_ARGUMENT ("Snapshot list mismatch"); the check is made here, so every backend answers
     * alike.
     */
    private static void checkMembers(GroupSnapshot group, List<String> snapshotIds) {
        Set<String> members = group.snapshots().stream().map(Snapshot::id).collect(Collectors.toSet());
        if (!snapshotIds.isEmpty() && !new HashSet<>(snapshotIds).equals(members)) {
            throw StatusMapper.invalidArgument("snapshot_ids " + snapshotIds + " are not the snapshots of group snapshot "
                    + group.id() + ": " + members.stream().sorted().toList());
        }
    }

    private static String groupId(String id) {
        return StatusMapper.required(id, "group_snapshot_id");
    }
}
