package io.csi4j.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void idsAreTwelveLowercaseHexDigits() {
        for (int i = 0; i < 1000; i++) {
            assertThat(RequestIds.next()).matches("[0-9a-f]{12}");
        }
    }

    @Test
    void idsDoNotRepeat() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(RequestIds.next());
        }
        assertThat(ids).hasSize(10_000);
    }

    @Test
    void theHeaderAndMdcKeysAreStable() {
        assertThat(RequestIds.HEADER.name()).isEqualTo("csi4j-request-id");
        assertThat(RequestIds.MDC_KEY).isEqualTo("requestId");
    }
}
