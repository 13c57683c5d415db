package io.csi4j.spi;

import java.util.List;

/** One page of a volume listing; {@code nextToken} is "" on the last page. */
public record VolumePage(List<VolumeStatus> volumes, String nextToken) {

    public VolumePage {
        volumes = List.copyOf(volumes);
    }
}
