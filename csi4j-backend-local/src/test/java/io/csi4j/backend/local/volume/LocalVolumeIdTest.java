package io.csi4j.backend.local.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class LocalVolumeIdTest {

    private static final String HEX = "0123456789abcdef0123456789abcdef";

    @Test
    void aRandomIdSurvivesARoundTripThroughItsText() {
        LocalVolumeId id = LocalVolumeId.random("node-1");

        assertThat(id.toString()).matches("l1\\.[0-9a-f]{32}\\.node-1");
        assertThat(LocalVolumeId.parse(id.toString())).contains(id);
    }

    @Test
    void parseSplitsTheUuidFromTheNode() {
        assertThat(LocalVolumeId.parse("l1." + HEX + ".worker.example_1"))
                .contains(new LocalVolumeId(HEX, "worker.example_1"));
    }

    @Test
    void randomIdsDiffer() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(LocalVolumeId.random("n").uuid())).isTrue();
        }
    }

    @Test
    void aSingleCharacterNodeAndA63CharacterNodeAreAccepted() {
        assertThat(LocalVolumeId.parse("l1." + HEX + ".n")).isPresent();
        assertThat(LocalVolumeId.parse("l1." + HEX + "." + "a".repeat(63))).isPresent();
    }

    @ParameterizedTest(name = "[rejected] {0}")
    @NullAndEmptySource
    @ValueSource(strings = {
            "l1.0123456789ABCDEF0123456789abcdef.node-1", // uppercase hex
            "l2.0123456789abcdef0123456789abcdef.node-1", // wrong version prefix
            "0123456789abcdef0123456789abcdef.node-1", // no prefix
            "l1.0123456789abcdef0123456789abcde.node-1", // 31 hex digits
            "l1.0123456789abcdef0123456789abcdefa.node-1", // 33 hex digits
            "l1.0123456789abcdeg0123456789abcdef.node-1", // not hex
            "l1.0123456789abcdef0123456789abcdef", // no node
            "l1.0123456789abcdef0123456789abcdef.", // empty node
            "l1.0123456789abcdef0123456789abcdef-node-1", // wrong separator
            "l1.0123456789abcdef0123456789abcdef.-node", // node starts with a dash
            "l1.0123456789abcdef0123456789abcdef.node-", // node ends with a dash
            "l1.0123456789abcdef0123456789abcdef.node 1", // space in node
            "l1.0123456789abcdef0123456789abcdef./../x", // path traversal
            "l1.0123456789abcdef0123456789abcdef.../x", // path traversal
            "l1.0123456789abcdef0123456789abcdef.a/b", // slash in node
            "l1.0123456789abcdef0123456789abcdef.n\n", // trailing newline
            "l1.../../../../../etc/passwd.node-1", // traversal in the uuid
            "pvc-0123456789abcdef", // another driver's id
    })
    void parseRefusesTextThatIsNotOneOfOurIds(String text) {
        assertThat(LocalVolumeId.parse(text)).isEmpty();
    }

    @Test
    void parseRefusesANodeLongerThan63Characters() {
        assertThat(LocalVolumeId.parse("l1." + HEX + "." + "a".repeat(64))).isEmpty();
    }

    @Test
    void theConstructorRefusesWhatParseWouldRefuse() {
        assertThatThrownBy(() -> new LocalVolumeId(HEX.toUpperCase(), "n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a local volume id");
        assertThatThrownBy(() -> new LocalVolumeId(HEX, "../x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a local volume id");
    }
}
