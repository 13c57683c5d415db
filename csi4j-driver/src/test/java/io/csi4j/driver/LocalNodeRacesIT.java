package io.csi4j.driver;

import static io.csi4j.driver.NodeCalls.create;
import static io.csi4j.driver.NodeCalls.delete;
import static io.csi4j.driver.NodeCalls.mount;
import static io.csi4j.driver.NodeCalls.publish;
import static io.csi4j.driver.NodeCalls.stage;
import static io.csi4j.driver.NodeCalls.unpublish;
import static io.csi4j.driver.NodeCalls.unstage;
import static org.assertj.core.api.Assertions.assertThat;

import csi.v1.ControllerGrpc;
import csi.v1.NodeGrpc;
import csi.v1.VolumeCapability;
import io.csi4j.linux.Mount;
import io.csi4j.linux.MountInfo;
import io.csi4j.linux.MountTable;
import io.csi4j.linux.SyscallException;
import io.csi4j.testing.CsiDriverExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A publish racing someone else's mount onto its target, through the driver's socket: the volume
 * never lands on the other mount, and a publish that fails takes back only what it made itself,
 * never the other mount.
 */
class LocalNodeRacesIT {

    private static final long MiB = 1L << 20;
    private static final int ROUNDS = 40;

    @RegisterExtension
    static final CsiDriverExtension driver = CsiDriverExtension.serving();

    @RegisterExtension
    final NodeWorkspace workspace = new NodeWorkspace(driver);

    private static Status.Code outcome(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    private static List<MountInfo> mountsAt(Path path) throws IOException {
        return MountTable.read().mounts().stream().filter(m -> m.mountPoint().equals(path)).toList();
    }

    @Test
    void aPublishRacingAForeignMountOntoItsTargetNeverUnmountsThatMount() throws Exception {
        ControllerGrpc.ControllerBlockingStub controller = driver.driver().controller();
        NodeGrpc.NodeBlockingStub node = driver.driver().node();
        Path work = workspace.dir();
        VolumeCapability capability = mount("");
        String id = create(controller, "pvc-" + UUID.randomUUID(), 16 * MiB, capability,
                Map.of("type", "directory", "enforceCapacity", "false"));
        Path staging = Files.createDirectory(work.resolve("staging"));
        stage(node, id, staging, capability);
        Path pod = Files.createDirectory(work.resolve("pod"));
        Random random = new Random(20);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                Path target = Files.createDirectory(pod.resolve("mount-" + round));
                String marker = "racer-" + round;
                long delay = random.nextLong(3_000_000);
                CompletableFuture<Boolean> racer = CompletableFuture.supplyAsync(() -> {
                    LockSupport.parkNanos(delay);
                    try {
                        Mount.mount(marker, target, "tmpfs", Set.of(), null);
                        return true;
                    } catch (SyscallException e) {
                        return false;
                    }
                });
                Status.Code published = outcome(() -> publish(node, id, staging, target, capability));
                boolean raced = racer.get();

                List<MountInfo> there = mountsAt(target);
                assertThat(published).as("round %d", round).isIn(Status.Code.OK, Status.Code.FAILED_PRECONDITION);
                if (raced) {
                    assertThat(there).as("round %d: the foreign mount after a publish that said %s", round, published)
                            .anyMatch(m -> m.source().equals(marker));
                }
                if (published == Status.Code.OK) {
                    MountInfo ours = there.stream().filter(m -> !m.source().equals(marker)).findFirst().orElseThrow();
                    assertThat(there).as("round %d: the volume was mounted on the foreign mount", round)
                            .noneMatch(m -> m.source().equals(marker) && m.mountId() == ours.parentId());
                } else {
                    assertThat(there).as("round %d: a failed publish left its own mount", round)
                            .allMatch(m -> m.source().equals(marker));
                }
                takeDown(target);
                outcome(() -> unpublish(node, id, target));
            }
        } finally {
            for (int round = 0; round < ROUNDS; round++) {
                Path target = pod.resolve("mount-" + round);
                takeDown(target);
                outcome(() -> unpublish(node, id, target));
            }
            unstage(node, id, staging);
            delete(controller, id);
        }
    }

    /** Unmounts whatever the round left at the target, the racer's tmpfs and the volume alike. */
    private static void takeDown(Path target) throws SyscallException {
        for (int i = 0; i < 4 && Mount.unmountIfMounted(target, true); i++) {
            // the next one down
        }
    }

}
