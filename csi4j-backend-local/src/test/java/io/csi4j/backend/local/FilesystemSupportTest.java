package io.csi4j.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.csi4j.linux.FileSystemStats;
import io.csi4j.spi.InvalidParameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FilesystemSupportTest {

    @Test
    void ext4CanBeMadeHere() {
        assertThatCode(() -> Mkfs.requireSupported("ext4")).doesNotThrowAnyException();
    }

    @Test
    void xfsCanBeMadeWhenItsToolIsInstalled() {
        assumeTrue(Specs.xfsToolsInstalled(), "mkfs.xfs is not installed on this machine");

        assertThatCode(() -> Mkfs.requireSupported("xfs")).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "[error] fsType ''{0}''")
    @ValueSource(strings = {"btrfs", "ext3", "vfat", "EXT4", "", "ext4 "})
    void filesystemsWeDoNotMakeAreRefused(String fsType) {
        assertThatThrownBy(() -> Mkfs.requireSupported(fsType))
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
