package io.csi4j.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.csi4j.testing.CsiDriverExtension;
import io.csi4j.testing.DriverProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code csi4j controller ...} by hand against a real driver: what an operator types and sees.
 * Each command is its own JVM, so independent commands run side by side.
 */
class ControllerCommandsTest {

    @RegisterExtension
    static final CsiDriverExtension driver = CsiDriverExtension.serving();

    private static ExecutorService pool;

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(3);
    }

    @AfterAll
    static void stopPool() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(30, TimeUnit.SECONDS);
    }

    @Test
    void aVolumeCreatedInspectedAndDeletedByHand() {
        DriverProcess.Result create = csi4j("controller", "create-volume", "pvc-a", "--size", "64Mi");

        assertThat(create.exitCode()).as(create.stderr()).isZero();
        assertThat(create.stderr()).isEmpty();
        String idLine = create.stdout().lines().findFirst().orElseThrow();
        assertThat(idLine).matches("volume id: l1\\.[0-9a-f]{32}\\.test-node");
        String id = idLine.substring("volume id: ".length());
        String volumeText = """
                volume id: %s
                capacity:  67108864 (64 MiB)
                context:
                  access: mount
                  capacityEnforced: true
                  fsType: ext4
                  type: image
                topology:
                  topology.csi4j.io/node=test-node
                """.formatted(id);
        assertThat(create.stdout()).isEqualTo(volumeText);

        DriverProcess.Result delete;
        try {
            var get = async("controller", "get-volume", id);
            var list = async("controller", "list-volumes");
            var capacity = async("controller", "capacity", "--topology", "topology.csi4j.io/node=test-node");
            var validate = async("controller", "validate", id, "--fs", "ext4");
            var validateBlock = async("controller", "validate", id, "--block");

            assertThat(get.join().exitCode()).isZero();
            assertThat(get.join().stdout()).startsWith(volumeText);
            assertThat(get.join().stdout().substring(volumeText.length())).matches("condition: ok(: .*)?\n");

            assertThat(list.join().exitCode()).isZero();
            assertThat(list.join().stdout()).isEqualTo(id + "  67108864 (64 MiB)\n");

            assertThat(capacity.join().exitCode()).isZero();
            assertThat(capacity.join().stdout()).matches("""
                    available:           [1-9][0-9]* \\([0-9.]+ ([KMGTPE]i)?B\\)
                    maximum volume size: [1-9][0-9]* \\([0-9.]+ ([KMGTPE]i)?B\\)
                    """);

            assertThat(validate.join().exitCode()).isZero();
            assertThat(validate.join().stdout()).isEqualTo("""
                    confirmed
                    capabilities:
                      mount fs=ext4 single-node-writer
                    """);

            assertThat(validateBlock.join().exitCode()).isEqualTo(1);
            assertThat(validateBlock.join().stdout()).isEqualTo("not confirmed: the volume is a filesystem volume\n");
        } finally {
            delete = csi4j("controller", "delete-volume", id);
        }
        assertThat(delete.exitCode()).as(delete.stderr()).isZero();
        assertThat(delete.stdout()).isEqualTo("deleted " + id + "\n");

        DriverProcess.Result getDeleted = csi4j("controller", "get-volume", id);
        assertThat(getDeleted.exitCode()).isEqualTo(1);
        assertThat(getDeleted.stdout()).isEmpty();
        assertThat(getDeleted.stderr()).isEqualTo("NOT_FOUND: volume " + id + " does not exist\n");
    }

    @Test
    void aMistypedSecretOptionIsAUsageErrorThatNeverShowsTheSecret() {
        DriverProcess.Result result = csi4j("controller", "create-volume", "x", "--secrte", "password=hunter2");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("'--secrte'").doesNotContain("hunter2");
        assertThat(result.stdout()).doesNotContain("hunter2");
    }

    private static CompletableFuture<DriverProcess.Result> async(String... command) {
        return CompletableFuture.supplyAsync(() -> csi4j(command), pool);
    }

    private static DriverProcess.Result csi4j(String... command) {
        List<String> args = new ArrayList<>(List.of("--endpoint", "unix://" + driver.socket()));
        args.addAll(List.of(command));
        return DriverProcess.run(args, Drivers.RUN);
    }
}
