package io.csi4j.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The mount(2) flags a bind asks for, said as mount_setattr's attributes (values from {@code <linux/mount.h>}). */
class MountAttributesTest {

    @Test
    void perMountFlagsAreOnlyEverSet() {
        assertThat(MountApi.Attributes.of(EnumSet.of(MountFlag.RDONLY, MountFlag.NOSUID, MountFlag.NODEV, MountFlag.NOEXEC)))
                .isEqualTo(new MountApi.Attributes(0xF, 0));
        assertThat(MountApi.Attributes.of(EnumSet.of(MountFlag.NODIRATIME))).isEqualTo(new MountApi.Attributes(0x80, 0));
    }

    @Test
    void anAtimeModeClearsTheAtimeFieldFirst() {
        assertThat(MountApi.Attributes.of(Set.of(MountFlag.NOATIME))).isEqualTo(new MountApi.Attributes(0x10, 0x70));
        assertThat(MountApi.Attributes.of(Set.of(MountFlag.STRICTATIME))).isEqualTo(new MountApi.Attributes(0x20, 0x70));
        assertThat(MountApi.Attributes.of(Set.of(MountFlag.RELATIME, MountFlag.RDONLY)))
                .isEqualTo(new MountApi.Attributes(0x1, 0x70));
        assertThatThrownBy(() -> MountApi.Attributes.of(Set.of(MountFlag.NOATIME, MountFlag.STRICTATIME)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void flagsThatAreNoAttributesAddNothing() {
        MountApi.Attributes none = MountApi.Attributes.of(EnumSet.of(MountFlag.BIND, MountFlag.REC, MountFlag.PRIVATE));
        assertThat(none.none()).isTrue();
    }

    @Test
    void openat2AndTheMountApiNumbersAreTheKernels() {
        assertThat(PathHandle.SYS_OPENAT2).isEqualTo(437); // the same on x86_64 and aarch64 (after the table merge at 424)
        assertThat(PathHandle.O_PATH).isEqualTo(0x200000);
        assertThat(PathHandle.O_CLOEXEC).isEqualTo(Fd.O_CLOEXEC);
        assertThat(PathHandle.O_NOFOLLOW).isEqualTo(0x20000);
        assertThat(MountApi.OPEN_TREE_CLOEXEC).isEqualTo(0x80000);
        assertThat(MountApi.AT_RECURSIVE).isEqualTo(0x8000);
    }
}
