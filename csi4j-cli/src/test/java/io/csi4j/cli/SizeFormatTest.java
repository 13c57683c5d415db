package io.csi4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SizeFormat: bytes shown in the largest fitting binary unit. */
class SizeFormatTest {

    @ParameterizedTest
    @CsvSource({
            "0, 0 B",
            "512, 512 B",
            "1023, 1023 B",
            "1024, 1 KiB",
            "1536, 1.5 KiB",
            "536870912, 512 MiB",
            "1073741824, 1 GiB",
            "1500000000, 1.4 GiB",
            "1073741823, 1.0 GiB",
            "10000000000, 9.3 GiB",
            "1099511627776, 1 TiB",
            "1152921504606846976, 1 EiB",
            "9223372036854775807, 8.0 EiB",
    })
    void showsTheLargestBinaryUnit(long bytes, String human) {
        assertThat(SizeFormat.human(bytes)).isEqualTo(human);
    }

    @Test
    void describeGivesBytesThenTheHumanForm() {
        assertThat(SizeFormat.describe(1073741824L)).isEqualTo("1073741824 (1 GiB)");
    }
}
