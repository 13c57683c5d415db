package io.csi4j.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MountOptionsTest {

    @Test
    void genericOptionsBecomeFlagsAndTheRestIsFilesystemData() {
        MountOptions options = MountOptions.parse(List.of("noatime", "nodev,nosuid", "data=ordered", "discard"));

        assertThat(options.flags()).containsExactlyInAnyOrder(MountFlag.NOATIME, MountFlag.NODEV, MountFlag.NOSUID);
        assertThat(options.data()).isEqualTo("data=ordered,discard");
    }

    @Test
    void laterOptionsUndoEarlierOnesAsMountDoes() {
        assertThat(MountOptions.parse(List.of("ro", "rw")).readOnly()).isFalse();
        assertThat(MountOptions.parse(List.of("noatime", "relatime")).flags()).containsExactly(MountFlag.RELATIME);
        assertThat(MountOptions.parse(List.of("nodev", "dev")).flags()).isEmpty();
        assertThat(MountOptions.parse(List.of("defaults", "nofail")).flags()).isEmpty();
        assertThat(MountOptions.parse(List.of("defaults", "nofail")).data()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bind", "rbind", "remount", "move", "shared", "loop", "", "a,,b", "has space", "tab\there"})
    void optionsThatChangeTheMountsKindOrAreMalformedAreRefused(String option) {
        assertThatThrownBy(() -> MountOptions.parse(List.of(option))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readOnlyIsAddedWithoutLosingTheRest() {
        MountOptions options = MountOptions.parse(List.of("noexec", "errors=remount-ro")).withReadOnly(true);

        assertThat(options.flags()).containsExactlyInAnyOrder(MountFlag.NOEXEC, MountFlag.RDONLY);
        assertThat(options.data()).isEqualTo("errors=remount-ro");
        assertThat(options.perMountFlags()).containsExactlyInAnyOrder(MountFlag.NOEXEC, MountFlag.RDONLY);
        assertThat(MountOptions.none().withReadOnly(false).flags()).isEmpty();
    }

    @Test
    void onlyPerMountFlagsSurviveOnABind() {
        MountOptions options = MountOptions.parse(List.of("sync", "nosuid", "lazytime"));

        assertThat(options.perMountFlags()).containsExactly(MountFlag.NOSUID);
    }
}
