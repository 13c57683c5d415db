package io.csi4j.server.controller;

import com.google.protobuf.Int64Value;
import csi.v1.ControllerExpandVolumeRequest;
import csi.v1.ControllerExpandVolumeResponse;
import csi.v1.CreateSnapshotRequest;
import csi.v1.CreateSnapshotResponse;
import csi.v1.DeleteSnapshotRequest;
import csi.v1.DeleteSnapshotResponse;
import csi.v1.GetSnapshotRequest;
import csi.v1.GetSnapshotResponse;
import csi.v1.ListSnapshotsRequest;
import csi.v1.ListSnapshotsResponse;
import io.csi4j.spi.Expansion;
import io.csi4j.spi.Snapshot;
import io.csi4j.spi.SnapshotPage;
import io.csi4j.spi.VolumeSnapshots;
import csi.v1.ControllerGetCapabilitiesRequest;
import csi.v1.ControllerGetCapabilitiesResponse;
import csi.v1.ControllerGetVolumeRequest;
import csi.v1.ControllerGetVolumeResponse;
import csi.v1.ControllerGrpc;
import csi.v1.CreateVolumeRequest;
import csi.v1.CreateVolumeResponse;
import csi.v1.DeleteVolumeRequest;
import csi.v1.DeleteVolumeResponse;
import csi.v1.GetCapacityRequest;
import csi.v1.GetCapacityResponse;
import csi.v1.ListVolumesRequest;
import csi.v1.ListVolumesResponse;
import csi.v1.ValidateVolumeCapabilitiesRequest;
import csi.v1.ValidateVolumeCapabilitiesResponse;
import io.csi4j.server.config.Capabilities;
import io.csi4j.server.convert.Protos;
import io.csi4j.server.status.StatusMapper;
import io.csi4j.spi.CapacityQuery;
import io.csi4j.spi.CapacityRange;
import io.csi4j.spi.CapacityReport;
import io.csi4j.spi.Topology;
import io.csi4j.spi.Volume;
import io.csi4j.spi.VolumeCapability;
import io.csi4j.spi.VolumeNotFound;
import io.csi4j.spi.VolumePage;
import io.csi4j.spi.VolumeProvisioner;
import io.csi4j.spi.VolumeSource;
import io.csi4j.spi.VolumeSpec;
import io.csi4j.spi.VolumeStatus;
import io.grpc.MethodDescriptor;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Controller service. It reports exactly the capabilities of the running mode and backend,
 * validates requests as the CSI spec asks, and hands them to the backend's
 * {@link VolumeProvisioner}; idempotency and locking are the provisioner's. Without a
 * provisioner the volume RPCs answer UNIMPLEMENTED, as do RPCs not yet served (the generated
 * base class does that). Failures are thrown and become statuses in the
 * {@link io.csi4j.server.status.FailureInterceptor}.
 */
public final class ControllerService extends ControllerGrpc.ControllerImplBase {

    private final ControllerGetCapabilitiesResponse capabilities;
    private final Optional<VolumeProvisioner> provisioner;
    private final Optional<VolumeSnapshots> snapshots;
    private final boolean expansion;

    public ControllerService(Capabilities capabilities, Optional<VolumeProvisioner> provisioner) {
        this(capabilities, provisioner, Optional.empty());
    }

    public ControllerService(Capabilities capabilities, Optional<VolumeProvisioner> provisioner,
                             Optional<VolumeSnapshots> snapshots) {
        this.capabilities = ControllerGetCapabilitiesResponse.newBuilder()
                .addAllCapabilities(capabilities.controller())
                .build();
        this.provisioner = Objects.requireNonNull(provisioner, "provisioner");
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.expansion = capabilities.features().contains(io.csi4j.spi.Feature.ONLINE_EXPANSION)
                || capabilities.features().contains(io.csi4j.spi.Feature.OFFLINE_EXPANSION);
    }

    @Override
    public void controllerGetCapabilities(ControllerGetCapabilitiesRequest request,
                                          StreamObserver<ControllerGetCapabilitiesResponse> response) {
        response.onNext(capabilities);
        response.onCompleted();
    }

    @Override
    public void createVolume(CreateVolumeRequest request, StreamObserver<CreateVolumeResponse> response) {
        VolumeProvisioner provisioner = provisioner(ControllerGrpc.getCreateVolumeMethod());
        if (request.getName().isEmpty()) {
            throw StatusMapper.invalidArgument("name is required");
        }
        List<VolumeCapability> capabilities = requiredCapabilities(request.getVolumeCapabilitiesList());
        VolumeSource source = request.hasVolumeContentSource()
                ? Protos.source(request.getVolumeContentSource())
                : VolumeSource.EMPTY;
        Topology topology = request.hasAccessibilityRequirements()
                ? Protos.topology(request.getAccessibilityRequirements())
                : Topology.ANY;
        if (request.getMutableParamsCount() > 0) {
            // The spec lets a CO send them only to a plugin with MODIFY_VOLUME, and they must win
            // over `parameters`: dropping them would create a volume other than the one asked for.
            throw StatusMapper.invalidArgument("mutable_parameters are not supported: the driver does not modify volumes");
        }
        // Last of what the request alone shows: a limit below the required size is OUT_OF_RANGE,
        // so every INVALID_ARGUMENT above wins over it.
        CapacityRange capacity = request.hasCapacityRange()
                ? Protos.capacityRange(request.getCapacityRange())
                : CapacityRange.ANY;

        // The provisioner looks the name up first: a replay of a created volume succeeds (or is
        // ALREADY_EXISTS) even once its source is gone; only a new volume's missing source is NOT_FOUND.
        Volume volume = provisioner.create(new VolumeSpec(request.getName(), capacity, capabilities,
                request.getParametersMap(), topology, source));

        csi.v1.Volume.Builder created = Protos.volume(volume).toBuilder();
        if (request.hasVolumeContentSource()) {
            created.setContentSource(request.getVolumeContentSource());
        }
        response.onNext(CreateVolumeResponse.newBuilder().setVolume(created).build());
        response.onCompleted();
    }

    @Override
    public void deleteVolume(DeleteVolumeRequest request, StreamObserver<DeleteVolumeResponse> response) {
        VolumeProvisioner provisioner = provisioner(ControllerGrpc.getDeleteVolumeMethod());
        provisioner.delete(volumeId(request.getVolumeId()));
        response.onNext(DeleteVolumeResponse.getDefaultInstance());
        response.onCompleted();
    }

    @Override
    public void controllerGetVolume(ControllerGetVolumeRequest request,
                                    StreamObserver<ControllerGetVolumeResponse> response) {
        VolumeProvisioner provisioner = provisioner(ControllerGrpc.getControllerGetVolumeMethod());
        String volumeId = volumeId(request.getVolumeId());
        VolumeStatus status = provisioner.get(volumeId)
                .orElseThrow(() -> new VolumeNotFound("volume " + volumeId + " does not exist"));
        response.onNext(Protos.getVolumeResponse(status));
        response.onCompleted();
    }

    @Override
    public void listVolumes(ListVolumesRequest request, StreamObserver<ListVolumesResponse> response) {
        VolumeProvisioner provisioner = provisioner(ControllerGrpc.getListVolumesMethod());
        if (request.getMaxEntries() < 0) {
            throw StatusMapper.invalidArgument("max_entries must not be negative: " + request.getMaxEntries());
        }
        VolumePage page = provisioner.list(request.getMaxEntries(), request.getStartingToken());
        ListVolumesResponse.Builder listing = ListVolumesResponse.newBuilder().setNextToken(page.nextToken());
        for (VolumeStatus status : page.volumes()) {
            listing.addEntries(Protos.listEntry(status));
        }
        response.onNext(listing.build());
        response.onCompleted();
    }

    @Override
    public void validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest request,
                                           StreamObserver<ValidateVolumeCapabilitiesResponse> response) {
        VolumeProvisioner provisioner = provisioner(ControllerGrpc.getValidateVolumeCapabilitiesMethod());
        String volumeId = volumeId(request.getVolumeId());
        List<VolumeCapability> wanted = requiredCapabilities(request.getVolumeCapabilitiesList());

        // NOT_FOUND of an unknown volume wins over capabilities it could not serve: the provisioner
        // finds the volume before it compares.
        Optional<String> unsupported = provisioner.unsupported(volumeId, wanted);

        ValidateVolumeCapabilitiesResponse.Builder answer = ValidateVolumeCapabilitiesResponse.newBuilder();
        // Only what was checked is confirmed: the capabilities. Context and parameters are not
        // compared with the volume's, so echoing them would claim a check that never happened.
        unsupported.ifPresentOrElse(answer::setMessage, () -> answer.setConfirmed(
                ValidateVolumeCapabilitiesResponse.Confirmed.newBuilder()
                        .addAllVolumeCapabilities(request.getVolumeCapabilitiesList())));
        response.onNext(answer.build());
        response.onCompleted();
    }

    @Override
    public void getCapacity(GetCapacityRequest request, StreamObserver<GetCapacityResponse> response) {
        VolumeProvisioner provisioner = provisioner(ControllerGrpc.getGetCapacityMethod());
        List<VolumeCapability> capabilities =
                Protos.capabilities(request.getVolumeCapabilitiesList(), "volume_capabilities");

        CapacityReport report = provisioner.capacity(new CapacityQuery(request.getParametersMap(), capabilities,
                request.getAccessibleTopology().getSegmentsMap()));

        GetCapacityResponse.Builder answer = GetCapacityResponse.newBuilder()
                .setAvailableCapacity(report.availableBytes());
        if (report.maximumVolumeSize() > 0) {
            answer.setMaximumVolumeSize(Int64Value.of(report.maximumVolumeSize()));
        }
        if (report.minimumVolumeSize() > 0) {
            answer.setMinimumVolumeSize(Int64Value.of(report.minimumVolumeSize()));
        }
        response.onNext(answer.build());
        response.onCompleted();
    }

    @Override
    public void controllerExpandVolume(ControllerExpandVolumeRequest request,
                                       StreamObserver<ControllerExpandVolumeResponse> response) {
        VolumeProvisioner provisioner = provisioner(ControllerGrpc.getControllerExpandVolumeMethod());
        if (!expansion) {
            throw StatusMapper.unimplemented(ControllerGrpc.getControllerExpandVolumeMethod());
        }
        String volumeId = volumeId(request.getVolumeId());
        if (!request.hasCapacityRange()) {
            throw StatusMapper.invalidArgument("capacity_range is required");
        }
        if (request.hasVolumeCapability()) {
            Protos.capability(request.getVolumeCapability()); // checked, though growth does not depend on it
        }
        // A limit below the required size (OUT_OF_RANGE) shows in the request alone, so it comes
        // before NOT_FOUND; a size the volume cannot take is the provisioner's, after it.
        CapacityRange range = Protos.capacityRange(request.getCapacityRange());
        Expansion grown = provisioner.expand(volumeId, range);
        response.onNext(ControllerExpandVolumeResponse.newBuilder()
                .setCapacityBytes(grown.capacityBytes())
                .setNodeExpansionRequired(grown.nodeExpansionRequired())
                .build());
        response.onCompleted();
    }

    @Override
    public void createSnapshot(CreateSnapshotRequest request, StreamObserver<CreateSnapshotResponse> response) {
        VolumeSnapshots snapshots = snapshots(ControllerGrpc.getCreateSnapshotMethod());
        StatusMapper.required(request.getName(), "name");
        StatusMapper.required(request.getSourceVolumeId(), "source_volume_id");
        // The backend looks the name up first, so a replay succeeds (or is ALREADY_EXISTS, as the
        // spec's table says) before a missing source volume is NOT_FOUND.
        Snapshot snapshot = snapshots.create(request.getName(), request.getSourceVolumeId(), request.getParametersMap());
        response.onNext(CreateSnapshotResponse.newBuilder().setSnapshot(Protos.snapshot(snapshot)).build());
        response.onCompleted();
    }

    @Override
    public void deleteSnapshot(DeleteSnapshotRequest request, StreamObserver<DeleteSnapshotResponse> response) {
        VolumeSnapshots snapshots = snapshots(ControllerGrpc.getDeleteSnapshotMethod());
        StatusMapper.required(request.getSnapshotId(), "snapshot_id");
        snapshots.delete(request.getSnapshotId());
        response.onNext(DeleteSnapshotResponse.getDefaultInstance());
        response.onCompleted();
    }

    @Override
    public void getSnapshot(GetSnapshotRequest request, StreamObserver<GetSnapshotResponse> response) {
        VolumeSnapshots snapshots = snapshots(ControllerGrpc.getGetSnapshotMethod());
        StatusMapper.required(request.getSnapshotId(), "snapshot_id");
        Snapshot snapshot = snapshots.get(request.getSnapshotId()).orElseThrow(
                () -> new io.csi4j.spi.SnapshotNotFound("snapshot " + request.getSnapshotId() + " does not exist"));
        response.onNext(GetSnapshotResponse.newBuilder().setSnapshot(Protos.snapshot(snapshot)).build());
        response.onCompleted();
    }

    @Override
    public void listSnapshots(ListSnapshotsRequest request, StreamObserver<ListSnapshotsResponse> response) {
        VolumeSnapshots snapshots = snapshots(ControllerGrpc.getListSnapshotsMethod());
        if (request.getMaxEntries() < 0) {
            throw StatusMapper.invalidArgument("max_entries must not be negative: " + request.getMaxEntries());
        }
        SnapshotPage page = snapshots.list(request.getSnapshotId(), request.getSourceVolumeId(),
                request.getMaxEntries(), request.getStartingToken());
        ListSnapshotsResponse.Builder listing = ListSnapshotsResponse.newBuilder().setNextToken(page.nextToken());
        for (Snapshot snapshot : page.snapshots()) {
            listing.addEntries(ListSnapshotsResponse.Entry.newBuilder().setSnapshot(Protos.snapshot(snapshot)));
        }
        response.onNext(listing.build());
        response.onCompleted();
    }

    private VolumeSnapshots snapshots(MethodDescriptor<?, ?> method) {
        return snapshots.orElseThrow(() -> StatusMapper.unimplemented(method));
    }

    /** The provisioner, or UNIMPLEMENTED for {@code method} when the backend has none. */
    private VolumeProvisioner provisioner(MethodDescriptor<?, ?> method) {
        return provisioner.orElseThrow(() -> StatusMapper.unimplemented(method));
    }

    /** The converted {@code volume_capabilities}, of which there must be at least one. */
    private static List<VolumeCapability> requiredCapabilities(List<csi.v1.VolumeCapability> capabilities) {
        if (capabilities.isEmpty()) {
            throw StatusMapper.invalidArgument("volume_capabilities are required");
        }
        return Protos.capabilities(capabilities, "volume_capabilities");
    }

    private static String volumeId(String volumeId) {
        return StatusMapper.required(volumeId, "volume_id");
    }
}
