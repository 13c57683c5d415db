package io.csi4j.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import csi.v1.CreateVolumeRequest;
import org.junit.jupiter.api.Test;

/** Caller input in log lines: no control characters (no forged lines), bounded length. */
class PrintableSubjectTest {

    @Test
    void aNameWithALineBreakCannotStartAFakeLogLine() {
        String subject = CallLoggingInterceptor.subjectOf(CreateVolumeRequest.newBuilder()
                .setName("pvc-1\n2026-11-23T00:00:00Z ERROR [-] forged").build());

        assertThat(subject).isEqualTo(" name=pvc-1\\x0a2026-11-23T00:00:00Z ERROR [-] forged").doesNotContain("\n");
    }

    @Test
    void aHugeNameIsCut() {
        String subject = CallLoggingInterceptor.subjectOf(CreateVolumeRequest.newBuilder().setName("n".repeat(10_000)).build());

        assertThat(subject).hasSize(" name=".length() + 256 + 3).endsWith("...");
    }
}
