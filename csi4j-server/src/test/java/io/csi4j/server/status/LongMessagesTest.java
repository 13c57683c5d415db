package io.csi4j.server.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.csi4j.spi.VolumeNotFound;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** Messages echo caller input and travel in an HTTP/2 trailer: they are bounded. */
class LongMessagesTest {

    @Test
    void aMessageEchoingAHugeIdIsCutAndKeepsItsCode() {
        Status status = StatusMapper.toStatus(new VolumeNotFound("volume " + "x".repeat(100_000) + " does not exist"));

        assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(status.getDescription()).hasSizeLessThan(StatusMapper.MAX_DESCRIPTION + 40)
                .startsWith("volume xxx").endsWith("more characters)");
    }

    @Test
    void aShortMessageIsUntouched() {
        assertThat(StatusMapper.toStatus(new VolumeNotFound("volume v1 does not exist")).getDescription())
                .isEqualTo("volume v1 does not exist");
    }
}
