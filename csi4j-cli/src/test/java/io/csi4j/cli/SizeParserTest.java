package io.csi4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** SizeParser: sizes with and without suffixes, and the errors for what is no size. */
class SizeParserTest {

    @ParameterizedTest
    @CsvSource({
            "0, 0",
            "1000, 1000",
            "4Ki, 4096",
            "512Mi, 536870912",
            "1Gi, 1073741824",
            "1Ti, 1099511627776",
            "1Pi, 1125899906842624",
            "1Ei, 1152921504606846976",
            "1k, 1000",
            "1K, 1000",
            "100M, 100000000",
            "10G, 10000000000",
            "2T, 2000000000000",
            "3P, 3000000000000000",
            "1E, 1000000000000000000",
            "1.5Gi, 1610612736",
            "0.5Ki, 512",
            "9223372036854775807, 9223372036854775807",
    })
    void parsesBytesAndSuffixes(String text, long bytes) {
        assertThat(SizeParser.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "abc", "1X", "1GB", "1gi", "1 Gi", "Gi", "1.Gi", ".5Gi", "0x10", "1e3", "+1", "1Gi1"})
    void rejectsGarbage(String text) {
        assertThatThrownBy(() -> SizeParser.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsNegativesSayingSo() {
        assertThatThrownBy(() -> SizeParser.parse("-1Gi"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("'-1Gi': a size cannot be negative");
    }

    @Test
    void rejectsOverflowSayingSo() {
        assertThatThrownBy(() -> SizeParser.parse("8Ei"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'8Ei' is too large");
        assertThatThrownBy(() -> SizeParser.parse("9223372036854775808"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too large");
    }

    @Test
    void rejectsFractionsOfBytes() {
        assertThatThrownBy(() -> SizeParser.parse("1.5"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("'1.5' is not a whole number of bytes");
        assertThatThrownBy(() -> SizeParser.parse("0.0001Ki")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesTheSuffixesWhenTheTextIsNoSize() {
        assertThatThrownBy(() -> SizeParser.parse("10X"))
                .hasMessageStartingWith("'10X' is not a size: give bytes or a number with a suffix such as 512Mi, 1Gi, 10G");
    }

    @Test
    void converterTurnsErrorsIntoPicocliConversionErrors() {
        assertThat(new SizeParser().convert("1Gi")).isEqualTo(1L << 30);
        assertThatThrownBy(() -> new SizeParser().convert("-5"))
                .isInstanceOf(TypeConversionException.class).hasMessage("'-5': a size cannot be negative");
    }
}
