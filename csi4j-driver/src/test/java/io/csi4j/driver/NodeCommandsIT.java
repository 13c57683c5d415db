package io.csi4j.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.csi4j.linux.MountTable;
import io.csi4j.testing.CsiDriverExtension;
import io.csi4j.testing.DriverProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A volume's whole life by hand, as an operator types it: {@code csi4j controller} and
 * {@code csi4j node} commands against a real driver, with real mounts.
 */
class NodeCommandsIT {

    @RegisterExtension
    static final CsiDriverExtension driver = CsiDriverExtension.serving();

    @RegisterExtension
    final NodeWorkspace workspace = new NodeWorkspace(driver);

    private Path work;

    @BeforeEach
    void setUp() {
        work = workspace.dir();
    }


    @Test
    void createStagePublishWriteAndTearDownByHand() throws IOException {
        String staging = work.resolve("staging").toString();
        String target = work.resolve("pod/mount").toString();
        Files.createDirectories(work.resolve("pod")); // kubelet makes the directory that holds it
        String create = ok("controller", "create-volume", "pvc-by-hand", "--size", "32Mi", "--fs", "ext4");
        String id = create.lines().findFirst().orElseThrow().substring("volume id: ".length());

        assertThat(ok("node", "stage", id, "--staging-path", staging, "--fs", "ext4", "--mount-flag", "noatime"))
                .isEqualTo("staged " + id + " at " + staging + "\n");
        assertThat(MountTable.read().find(Path.of(staging)).orElseThrow().hasOption("noatime")).isTrue();
        assertThat(ok("node", "publish", id, "--staging-path", staging, "--target-path", target, "--fs", "ext4"))
                .startsWith("published " + id + " at " + target);
        Files.write(Path.of(target, "two-mib"), new byte[2 << 20]);

        String stats = ok("node", "stats", id, "--path", target);
        assertThat(stats).contains("bytes").contains("inodes").doesNotContain("abnormal");

        assertThat(ok("node", "unpublish", id, "--target-path", target)).startsWith("unpublished " + id);
        assertThat(ok("node", "unstage", id, "--staging-path", staging)).startsWith("unstaged " + id);
        ok("controller", "delete-volume", id);
        assertThat(ok("controller", "list-volumes")).doesNotContain(id);
    }

    @Test
    void mistakesGetTheSpecsCodes() {
        String staging = work.resolve("staging").toString();
        DriverProcess.Result unknown = csi4j("node", "stage", "l1." + "0".repeat(32) + ".test-node",
                "--staging-path", staging, "--fs", "ext4");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.stderr()).startsWith("NOT_FOUND: ");

        DriverProcess.Result relative = csi4j("node", "unstage", "vol", "--staging-path", "relative/path");
        assertThat(relative.exitCode()).isEqualTo(1);
        assertThat(relative.stderr()).startsWith("INVALID_ARGUMENT: staging_target_path must be an absolute path");
    }

    private static String ok(String... command) {
        DriverProcess.Result result = csi4j(command);
        assertThat(result.exitCode()).as(String.join(" ", command) + ": " + result.stderr()).isZero();
        assertThat(result.stderr()).isEmpty();
        return result.stdout();
    }

    private static DriverProcess.Result csi4j(String... command) {
        List<String> args = new ArrayList<>(List.of("--endpoint", "unix://" + driver.socket()));
        args.addAll(List.of(command));
        return DriverProcess.run(args, Drivers.RUN);
    }
}
