package io.csi4j.bench.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecorderTest {

    @Test
    void failuresAreCountedByCodeWithAnExampleAndKeptOutOfLatency() {
        Recorder recorder = new Recorder();
        recorder.record(new CallOutcome.Succeeded("CreateVolume", 2_000_000));
        recorder.record(new CallOutcome.Failed("CreateVolume", 90_000_000, Status.Code.INVALID_ARGUMENT, "bad"));
        recorder.record(new CallOutcome.Failed("CreateVolume", 1, Status.Code.INVALID_ARGUMENT, "worse"));
        recorder.record(new CallOutcome.Succeeded("DeleteVolume", 1_000_000));

        List<RpcStats> summary = recorder.summary(2.0);

        assertThat(summary).extracting(RpcStats::rpc).containsExactly("CreateVolume", "DeleteVolume");
        RpcStats create = summary.getFirst();
        assertThat(create.calls()).isEqualTo(3);
        assertThat(create.ok()).isEqualTo(1);
        assertThat(create.errors()).isEqualTo(Map.of("INVALID_ARGUMENT", 2L));
        assertThat(create.examples()).isEqualTo(Map.of("INVALID_ARGUMENT", "bad"));
        assertThat(create.perSecond()).isEqualTo(1.5);
        assertThat(create.latency().count()).isEqualTo(1);
        assertThat(create.latency().max()).isBetween(1.99, 2.01);
        assertThat(recorder.failures()).isEqualTo(2);
    }

    @Test
    void percentilesComeFromTheSamples() {
        Recorder recorder = new Recorder();
        for (int ms = 1; ms <= 100; ms++) {
            recorder.record(new CallOutcome.Succeeded("ListVolumes", ms * 1_000_000L));
        }

        Latency latency = recorder.summary(1).getFirst().latency();

        assertThat(latency.p50()).isBetween(49.9, 50.1);
        assertThat(latency.p90()).isBetween(89.9, 90.1);
        assertThat(latency.p99()).isBetween(98.9, 99.1);
        assertThat(latency.max()).isBetween(99.9, 100.1);
    }
}
