package io.csi4j.backend.local.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.csi4j.linux.FileSystemStats;
import io.csi4j.linux.Mkfs;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import io.csi4j.spi.InvalidParameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FilesystemSupportTest {

    @TempDir
    Path dir;

    @Test
    void ext4CanBeMadeHere() {
        assertThat(Mkfs.unavailable("ext4")).isEmpty();
    }

    @Test
    void xfsCanBeMadeWhenItsToolIsInstalled() {
        assumeTrue(Specs.xfsToolsInstalled(), "mkfs.xfs is not installed on this machine");

        assertThat(Mkfs.unavailable("xfs")).isEmpty();
    }

    @ParameterizedTest(name = "[error] fsType ''{0}''")
    @ValueSource(strings = {"btrfs", "ext3", "vfat", "EXT4", "ext4 "})
    void filesystemsWeDoNotMakeAreRefused(String fsType) {
        assertThatThrownBy(() -> Specs.open(dir).create(Specs.named("v").capabilities(Specs.mount(fsType)).build()))
                .isInstanceOf(InvalidParameter.class)
                .hasMessageContaining("'" + fsType + "' is not supported")
                .hasMessageContaining("ext4 or xfs");
    }

    @ParameterizedTest(name = "magic {0} is {1}")
    @CsvSource({
            "0xEF53, EXT4",
            "0x58465342, XFS",
            "0x9123683E, BTRFS",
            "0x01021994, TMPFS",
            "0x794C7630, OVERLAY",
            "0x6969, OTHER",
            "0x0, OTHER",
    })
    void theStatfsMagicNumberNamesTheFilesystem(String magic, FilesystemKind kind) {
        long type = Long.decode(magic);

        assertThat(FilesystemKind.of(stats(type))).isEqualTo(kind);
    }

    @Test
    void aSignExtendedMagicNumberIsStillRecognised() {
        assertThat(FilesystemKind.of(stats((int) 0x9123683EL))).isEqualTo(FilesystemKind.BTRFS);
    }

    private static FileSystemStats stats(long type) {
        return new FileSystemStats(type, 4096, 1L << 30, 1L << 29, 1L << 29, 1000, 500, false);
    }
}
