package io.csi4j.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DriverNameTest {

    private static final String RULE = "': use letters, digits, '-', '_' and '.', starting and ending with a letter"
            + " or digit (e.g. local.csi4j.io)";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local.csi4j.io", "a", "7", "nfs_driver-2.example.com", "Local.CSI4J.io",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void validNamesAreKeptAsGiven(String value) {
        DriverName name = new DriverName(value);

        assertThat(name.value()).isEqualTo(value);
        assertThat(name).hasToString(value);
    }

    @Test
    void theLongestValidNameHas63Characters() {
        assertThat(new DriverName("a".repeat(63)).value()).hasSize(63);
    }

    @Test
    void theDefaultIsLocalCsi4jIo() {
        assertThat(DriverName.DEFAULT.value()).isEqualTo("local.csi4j.io");
    }

    static Stream<Arguments> invalid() {
        String long64 = "a".repeat(64);
        return Stream.of(
                Arguments.of("empty", "", "the driver name must not be empty"),
                Arguments.of("64 characters", long64, "invalid driver name '" + long64 + "': longer than 63 characters"),
                Arguments.of("starts with '-'", "-local.csi4j.io", "invalid driver name '-local.csi4j.io" + RULE),
                Arguments.of("ends with '.'", "local.csi4j.io.", "invalid driver name 'local.csi4j.io." + RULE),
                Arguments.of("contains '/'", "csi4j.io/local", "invalid driver name 'csi4j.io/local" + RULE),
                Arguments.of("contains a space", "local csi4j", "invalid driver name 'local csi4j" + RULE),
                Arguments.of("is only a space", " ", "invalid driver name ' " + RULE),
                Arguments.of("non-ascii letter", "l\u00f6cal.io", "invalid driver name 'l\u00f6cal.io" + RULE));
    }

    @ParameterizedTest(name = "[error] {0}")
    @MethodSource("invalid")
    void invalidNamesAreRefusedWithTheRule(String name, String value, String message) {
        assertThatThrownBy(() -> new DriverName(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void aMissingNameIsRefused() {
        assertThatThrownBy(() -> new DriverName(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("value");
    }
}
