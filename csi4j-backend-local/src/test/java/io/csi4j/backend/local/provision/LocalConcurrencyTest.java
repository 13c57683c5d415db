package io.csi4j.backend.local.provision;

import static io.csi4j.backend.local.provision.Specs.MiB;
import static io.csi4j.backend.local.provision.Specs.named;
import static org.assertj.core.api.Assertions.assertThat;

import io.csi4j.spi.CapacityExhausted;
import io.csi4j.spi.OperationPending;
import io.csi4j.spi.Volume;
import io.csi4j.spi.VolumeProvisioner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalConcurrencyTest {

    private static final int THREADS = 8;

    @TempDir
    Path dir;

    /** Runs {@code task} on {@code n} threads released together; each outcome is a value or the exception thrown. */
    private static List<Object> race(int n, Callable<?> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return task.call();
                }));
            }
            ready.await(10, TimeUnit.SECONDS);
            start.countDown();
            List<Object> outcomes = new ArrayList<>();
            for (Future<?> future : futures) {
                try {
                    outcomes.add(future.get(30, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    outcomes.add(e.getCause());
                }
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    @RepeatedTest(5)
    void concurrentCreatesOfOneNameMakeOneVolume() throws Exception {
        VolumeProvisioner provisioner = Specs.open(dir);

        List<Object> outcomes = race(THREADS, () -> provisioner.create(named("contended").required(8 * MiB).build()));

        List<String> ids = outcomes.stream().filter(Volume.class::isInstance).map(v -> ((Volume) v).id()).distinct().toList();
        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOfAny(Volume.class, OperationPending.class));
        assertThat(ids).hasSize(1);
        assertThat(provisioner.list(0, "").volumes()).singleElement()
                .satisfies(s -> assertThat(s.volume().id()).isEqualTo(ids.getFirst()));
        try (Stream<Path> images = Files.list(dir.resolve("volumes")); Stream<Path> records = Files.list(dir.resolve("records"))) {
            assertThat(images).hasSize(1);
            assertThat(records).hasSize(1);
        }
        assertThat(provisioner.create(named("contended").required(8 * MiB).build()).id()).isEqualTo(ids.getFirst());
    }

    @Test
    void concurrentDeletesOfOneVolumeAllSucceedOrAreToldToRetry() throws Exception {
        VolumeProvisioner provisioner = Specs.open(dir);
        Volume volume = provisioner.create(named("v").required(8 * MiB).build());

        List<Object> outcomes = race(THREADS, () -> {
            provisioner.delete(volume.id());
            return "deleted";
        });

        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOfAny(String.class, OperationPending.class))
                .anySatisfy(o -> assertThat(o).isEqualTo("deleted"));
        assertThat(provisioner.get(volume.id())).isEmpty();
        try (Stream<Path> images = Files.list(dir.resolve("volumes"))) {
            assertThat(images).isEmpty();
        }
    }

    @Test
    void concurrentCreatesOfDifferentNamesAllSucceed() throws Exception {
        VolumeProvisioner provisioner = Specs.open(dir);
        java.util.concurrent.atomic.AtomicInteger names = new java.util.concurrent.atomic.AtomicInteger();

        List<Object> outcomes = race(THREADS, () -> provisioner.create(named("v" + names.incrementAndGet())
                .required(8 * MiB).build()));

        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(Volume.class));
        assertThat(provisioner.list(0, "").volumes()).hasSize(THREADS);
    }

    /** Two volumes that each take 60% of the free space: however they interleave, only one may be promised. */
    @RepeatedTest(5)
    void concurrentCreatesNeverPromiseMoreThanTheFreeSpace() throws Exception {
        VolumeProvisioner provisioner = Specs.open(dir.resolve("room"), Long.MAX_VALUE / 4);
        long share = Specs.availableBytes(dir) / 10 * 6;
        java.util.concurrent.atomic.AtomicInteger names = new java.util.concurrent.atomic.AtomicInteger();

        List<Object> outcomes = race(4, () -> provisioner.create(named("big" + names.incrementAndGet())
                .required(share).build()));

        assertThat(outcomes).filteredOn(Volume.class::isInstance).hasSize(1);
        assertThat(outcomes).filteredOn(CapacityExhausted.class::isInstance).hasSize(3);
        for (Object outcome : outcomes) {
            if (outcome instanceof Volume v) {
                provisioner.delete(v.id());
            }
        }
    }
}
