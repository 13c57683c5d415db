package io.csi4j.bench.workload;

import csi.v1.ControllerGetCapabilitiesRequest;
import csi.v1.ControllerServiceCapability;
import csi.v1.NodeGetCapabilitiesRequest;
import csi.v1.NodeGetInfoRequest;
import csi.v1.NodeServiceCapability;
import csi.v1.Volume;
import io.csi4j.bench.run.CallFailed;
import io.csi4j.bench.run.Cleaner;
import io.csi4j.bench.run.Csi;
import io.csi4j.bench.run.Runner;
import io.csi4j.bench.run.Workload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * A volume's whole life as a CO drives it: CreateVolume; ControllerPublishVolume if the
 * controller advertises PUBLISH_UNPUBLISH_VOLUME; NodeStageVolume if the node advertises
 * STAGE_UNSTAGE_VOLUME; NodePublishVolume; then the same undone in reverse order. The staging
 * directory is made by the tool (as the CO does); the target path is left for the driver to
 * make, inside a directory that exists (as the spec says).
 */
public final class Lifecycle implements Workload {

    private final Path stagingBase;
    private final Path targetBase;
    private volatile boolean stages;
    private volatile boolean attaches;
    private volatile String nodeId = "";

    public Lifecycle(Path stagingBase, Path targetBase) {
        this.stagingBase = stagingBase;
        this.targetBase = targetBase;
    }

    @Override
    public String name() {
        return "lifecycle";
    }

    @Override
    public void prepare(Csi csi, Runner runner, String names) {
        stages = csi.call("NodeGetCapabilities", () -> csi.node().nodeGetCapabilities(NodeGetCapabilitiesRequest.getDefaultInstance()))
                .getCapabilitiesList().stream()
                .anyMatch(c -> c.getRpc().getType() == NodeServiceCapability.RPC.Type.STAGE_UNSTAGE_VOLUME);
        attaches = csi.call("ControllerGetCapabilities",
                        () -> csi.controller().controllerGetCapabilities(ControllerGetCapabilitiesRequest.getDefaultInstance()))
                .getCapabilitiesList().stream()
                .anyMatch(c -> c.getRpc().getType() == ControllerServiceCapability.RPC.Type.PUBLISH_UNPUBLISH_VOLUME);
        nodeId = csi.call("NodeGetInfo", () -> csi.node().nodeGetInfo(NodeGetInfoRequest.getDefaultInstance())).getNodeId();
        try {
            Files.createDirectories(stagingBase);
            Files.createDirectories(targetBase);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the staging and target directories", e);
        }
    }

    @Override
    public void run(Csi csi, String name, long index) {
        Volume volume = csi.createVolume(name);
        String id = volume.getVolumeId();
        // what is done so far, undone last-first whether the operation goes through or fails
        Deque<Runnable> undo = new ArrayDeque<>();
        undo.push(() -> csi.deleteVolume(name, id));
        CallFailed failure = null;
        try {
            Map<String, String> context = Map.of();
            if (attaches) {
                context = csi.attach(volume, nodeId);
                undo.push(() -> csi.detach(id, nodeId));
            }
            String staging = "";
            if (stages) {
                String path = stagingBase.resolve(name).toString();
                makeDirectory(path);
                undo.push(() -> Cleaner.removeDirectory(path));
                csi.stage(volume, path, context);
                undo.push(() -> csi.unstage(id, path));
                staging = path;
            }
            String target = targetBase.resolve(name).toString();
            csi.publish(volume, staging, target, context);
            undo.push(() -> {
                csi.unpublish(id, target);
                Cleaner.removeDirectory(target);
            });
        } catch (CallFailed e) {
            failure = e;
        }
        try {
            while (!undo.isEmpty()) {
                undo.pop().run(); // a failed step stops here: what follows depends on it; the cleanup retries
            }
        } catch (CallFailed e) {
            if (failure == null) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void makeDirectory(String path) {
        try {
            Files.createDirectories(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + path, e);
        }
    }
}
