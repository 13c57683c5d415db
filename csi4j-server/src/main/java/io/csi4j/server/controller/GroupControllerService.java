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
import io.csi4j.spi.SnapshotNotFound;
import io.csi4j.spi.VolumeSnapshots;
import io.grpc.stub.StreamObserver;
import java.util.HashSet;
import java.util.List;

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
        snapshots.deleteGroup(groupId(request.getGroupSnapshotId()), request.getSnapshotIdsList());
        response.onNext(DeleteVolumeGroupSnapshotResponse.getDefaultInstance());
        response.onCompleted();
    }

    @Override
    public void getVolumeGroupSnapshot(GetVolumeGroupSnapshotRequest request,
                                       StreamObserver<GetVolumeGroupSnapshotResponse> response) {
        String id = groupId(request.getGroupSnapshotId());
        GroupSnapshot group = snapshots.getGroup(id, request.getSnapshotIdsList())
                .orElseThrow(() -> new SnapshotNotFound("group snapshot " + id + " does not exist"));
        response.onNext(GetVolumeGroupSnapshotResponse.newBuilder().setGroupSnapshot(Protos.groupSnapshot(group)).build());
        response.onCompleted();
    }

    private static String groupId(String id) {
        return StatusMapper.required(id, "group_snapshot_id");
    }
}
