package io.csi4j.bench.run;

import csi.v1.ControllerGrpc;
import csi.v1.ControllerPublishVolumeRequest;
import csi.v1.ControllerUnpublishVolumeRequest;
import csi.v1.CreateSnapshotRequest;
import csi.v1.CreateVolumeRequest;
import csi.v1.DeleteSnapshotRequest;
import csi.v1.DeleteVolumeRequest;
import csi.v1.IdentityGrpc;
import csi.v1.NodeGrpc;
import csi.v1.NodePublishVolumeRequest;
import csi.v1.NodeStageVolumeRequest;
import csi.v1.NodeUnpublishVolumeRequest;
import csi.v1.NodeUnstageVolumeRequest;
import csi.v1.Snapshot;
import csi.v1.Volume;
import csi.v1.VolumeCapability;
import io.csi4j.bench.journal.Journal;
import io.csi4j.bench.journal.Made;
import io.csi4j.bench.journal.Step;
import io.csi4j.bench.stats.CallOutcome;
import io.csi4j.bench.stats.Recorder;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The CSI calls of a benchmark, each timed into a {@link Recorder}, and those that make or
 * remove something written to the {@link Journal} around the call. Secrets go into every request
 * that carries them and are masked out of every message the driver sends back.
 *
 * Not a record: it holds a channel and secrets, and must never print them.
 */
public final class Csi {

    private final Channel channel;
    private final Recorder recorder;
    private final Journal journal;
    private final Duration timeout;
    private final Map<String, String> secrets;
    private final CreateVolumeRequest volumeTemplate;
    private final CreateSnapshotRequest snapshotTemplate;

    /**
     * @param volumeTemplate   CreateVolumeRequest without name and secrets; its first capability is
     *                         the one staged and published
     * @param snapshotTemplate CreateSnapshotRequest without name, source and secrets
     */
    public Csi(Channel channel, Recorder recorder, Journal journal, Duration timeout, Map<String, String> secrets,
               CreateVolumeRequest volumeTemplate, CreateSnapshotRequest snapshotTemplate) {
        this.channel = channel;
        this.recorder = recorder;
        this.journal = journal;
        this.timeout = timeout;
        this.secrets = Map.copyOf(secrets);
        this.volumeTemplate = volumeTemplate;
        this.snapshotTemplate = snapshotTemplate;
    }

    /** The same calls, recorded elsewhere (warm-up, setup, cleanup). */
    public Csi recordingTo(Recorder other) {
        return new Csi(channel, other, journal, timeout, secrets, volumeTemplate, snapshotTemplate);
    }

    public Recorder recorder() {
        return recorder;
    }

    public Journal journal() {
        return journal;
    }

    public CreateVolumeRequest volumeTemplate() {
        return volumeTemplate;
    }

    public CreateSnapshotRequest snapshotTemplate() {
        return snapshotTemplate;
    }

    public ControllerGrpc.ControllerBlockingStub controller() {
        return ControllerGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public NodeGrpc.NodeBlockingStub node() {
        return NodeGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public IdentityGrpc.IdentityBlockingStub identity() {
        return IdentityGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Makes one call, records its time and outcome, and returns its response; {@link CallFailed} when it failed. */
    public <T> T call(String rpc, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            T response = call.get();
            recorder.record(new CallOutcome.Succeeded(rpc, System.nanoTime() - start));
            return response;
        } catch (StatusRuntimeException e) {
            CallOutcome.Failed failed = new CallOutcome.Failed(rpc, System.nanoTime() - start, e.getStatus().getCode(),
                    masked(description(e)));
            recorder.record(failed);
            throw new CallFailed(failed);
        }
    }

    /** The capability every volume is created, staged and published with. */
    public VolumeCapability capability() {
        return volumeTemplate.getVolumeCapabilities(0);
    }

    // --- volumes ------------------------------------------------------------------------------

    public Volume createVolume(String name) {
        Made.Volume made = new Made.Volume(name);
        CreateVolumeRequest request = volumeTemplate.toBuilder().setName(name).putAllSecrets(secrets).build();
        Volume volume = journaled(made, () -> call("CreateVolume", () -> controller().createVolume(request)).getVolume());
        journal.append(Step.DONE, made, volume.getVolumeId());
        return volume;
    }

    public void deleteVolume(String name, String id) {
        call("DeleteVolume", () -> controller().deleteVolume(
                DeleteVolumeRequest.newBuilder().setVolumeId(id).putAllSecrets(secrets).build()));
        journal.append(Step.UNDONE, new Made.Volume(name), id);
    }

    // --- snapshots ----------------------------------------------------------------------------

    public Snapshot createSnapshot(String name, String sourceVolumeId) {
        Made.Snapshot made = new Made.Snapshot(name, sourceVolumeId);
        CreateSnapshotRequest request = snapshotTemplate.toBuilder().setName(name).setSourceVolumeId(sourceVolumeId)
                .putAllSecrets(secrets).build();
        Snapshot snapshot = journaled(made, () -> call("CreateSnapshot", () -> controller().createSnapshot(request)).getSnapshot());
        journal.append(Step.DONE, made, snapshot.getSnapshotId());
        return snapshot;
    }

    public void deleteSnapshot(Made.Snapshot made, String id) {
        call("DeleteSnapshot", () -> controller().deleteSnapshot(
                DeleteSnapshotRequest.newBuilder().setSnapshotId(id).putAllSecrets(secrets).build()));
        journal.append(Step.UNDONE, made, id);
    }

    // --- attach, stage, publish ---------------------------------------------------------------

    /** ControllerPublishVolume; returns the publish context. */
    public Map<String, String> attach(Volume volume, String nodeId) {
        Made.Attachment made = new Made.Attachment(volume.getVolumeId(), nodeId);
        ControllerPublishVolumeRequest request = ControllerPublishVolumeRequest.newBuilder()
                .setVolumeId(volume.getVolumeId()).setNodeId(nodeId).setVolumeCapability(capability())
                .putAllVolumeContext(volume.getVolumeContextMap()).putAllSecrets(secrets).build();
        Map<String, String> context = journaled(made,
                () -> call("ControllerPublishVolume", () -> controller().controllerPublishVolume(request)).getPublishContextMap());
        journal.append(Step.DONE, made, "");
        return context;
    }

    public void detach(String volumeId, String nodeId) {
        call("ControllerUnpublishVolume", () -> controller().controllerUnpublishVolume(ControllerUnpublishVolumeRequest
                .newBuilder().setVolumeId(volumeId).setNodeId(nodeId).putAllSecrets(secrets).build()));
        journal.append(Step.UNDONE, new Made.Attachment(volumeId, nodeId), "");
    }

    public void stage(Volume volume, String stagingPath, Map<String, String> publishContext) {
        Made.Staging made = new Made.Staging(volume.getVolumeId(), stagingPath);
        NodeStageVolumeRequest request = NodeStageVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId())
                .putAllPublishContext(publishContext).setStagingTargetPath(stagingPath).setVolumeCapability(capability())
                .putAllSecrets(secrets).putAllVolumeContext(volume.getVolumeContextMap()).build();
        journaled(made, () -> call("NodeStageVolume", () -> node().nodeStageVolume(request)));
        journal.append(Step.DONE, made, "");
    }

    public void unstage(String volumeId, String stagingPath) {
        call("NodeUnstageVolume", () -> node().nodeUnstageVolume(NodeUnstageVolumeRequest.newBuilder()
                .setVolumeId(volumeId).setStagingTargetPath(stagingPath).build()));
        journal.append(Step.UNDONE, new Made.Staging(volumeId, stagingPath), "");
    }

    /** NodePublishVolume at {@code targetPath}; {@code stagingPath} is empty when the node does not stage. */
    public void publish(Volume volume, String stagingPath, String targetPath, Map<String, String> publishContext) {
        Made.Publication made = new Made.Publication(volume.getVolumeId(), targetPath);
        NodePublishVolumeRequest request = NodePublishVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId())
                .putAllPublishContext(publishContext).setStagingTargetPath(stagingPath).setTargetPath(targetPath)
                .setVolumeCapability(capability()).setReadonly(false).putAllSecrets(secrets)
                .putAllVolumeContext(volume.getVolumeContextMap()).build();
        journaled(made, () -> call("NodePublishVolume", () -> node().nodePublishVolume(request)));
        journal.append(Step.DONE, made, "");
    }

    public void unpublish(String volumeId, String targetPath) {
        call("NodeUnpublishVolume", () -> node().nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder()
                .setVolumeId(volumeId).setTargetPath(targetPath).build()));
        journal.append(Step.UNDONE, new Made.Publication(volumeId, targetPath), "");
    }

    /**
     * Runs a call that makes {@code made}: BEGIN is journaled before it, so a crash during the
     * call still leaves a trace; a failure the driver is sure of is journaled as FAILED.
     */
    private <T> T journaled(Made made, Supplier<T> call) {
        journal.append(Step.BEGIN, made, "");
        try {
            return call.get();
        } catch (CallFailed e) {
            if (!e.mayHaveMade()) {
                journal.append(Step.FAILED, made, "");
            }
            throw e;
        }
    }

    private static String description(StatusRuntimeException e) {
        String description = e.getStatus().getDescription();
        // gRPC's own failures ("io exception") say why only in their cause, e.g. no such socket.
        Throwable cause = e.getStatus().getCause();
        if (cause != null && cause.getMessage() != null) {
            description = (description == null ? "" : description + ": ") + cause.getMessage();
        }
        return description == null ? "" : description;
    }

    /** {@code text} with every secret value replaced by {@code ***}: drivers may echo requests in errors. */
    String masked(String text) {
        String masked = text;
        for (String secret : List.copyOf(secrets.values())) {
            if (!secret.isEmpty()) {
                masked = masked.replace(secret, "***");
            }
        }
        return masked;
    }
}
