package io.csi4j.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantityTest {

    @ParameterizedTest
    @CsvSource({"1024,1024", "1Ki,1024", "512Mi,536870912", "1Gi,1073741824", "1.5Gi,1610612736",
            "1k,1000", "2M,2000000", "1G,1000000000", "1Ti,1099511627776", "7Ei,8070450532247928832"})
    void sizesAreReadAsKubernetesWritesThem(String text, long bytes) {
        assertThat(Quantity.bytes(text)).contains(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Gi", "-1Gi", "1gi", "1 Gi", "1.1", "1Xi", "8Ei", "1.2.3", "1Gib"})
    void anythingElseIsNoSize(String text) {
        assertThat(Quantity.bytes(text)).isEmpty();
    }
}
