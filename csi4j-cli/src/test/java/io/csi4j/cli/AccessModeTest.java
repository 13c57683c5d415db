package io.csi4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import csi.v1.VolumeCapability;
import org.junit.jupiter.api.Test;

/** AccessMode: the command-line names and the CSI modes they map to. */
class AccessModeTest {

    @Test
    void everyCliNameMapsToTheCsiModeOfTheSameName() {
        for (AccessMode mode : AccessMode.values()) {
            assertThat(AccessMode.parse(mode.cliName())).isSameAs(mode);
            assertThat(mode.mode().name()).isEqualTo(mode.cliName().toUpperCase().replace('-', '_'));
        }
        assertThat(AccessMode.values()).hasSize(7);
    }

    @Test
    void acceptsTheProtocolNamesToo() {
        assertThat(AccessMode.parse("MULTI_NODE_MULTI_WRITER")).isSameAs(AccessMode.MULTI_NODE_MULTI_WRITER);
        assertThat(AccessMode.parse("Single-Node-Writer")).isSameAs(AccessMode.SINGLE_NODE_WRITER);
    }

    @Test
    void rejectsUnknownNamesListingTheKnownOnes() {
        assertThatThrownBy(() -> AccessMode.parse("rwx")).hasMessage("unknown access mode 'rwx'; use one of: "
                + "single-node-writer, single-node-reader-only, multi-node-reader-only, multi-node-single-writer, "
                + "multi-node-multi-writer, single-node-single-writer, single-node-multi-writer");
    }

    @Test
    void namesCsiModes() {
        assertThat(AccessMode.cliName(VolumeCapability.AccessMode.Mode.SINGLE_NODE_READER_ONLY)).isEqualTo("single-node-reader-only");
        assertThat(AccessMode.cliName(VolumeCapability.AccessMode.Mode.UNKNOWN)).isEqualTo("UNKNOWN");
    }
}
