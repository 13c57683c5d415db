package io.csi4j.driver;

import static io.csi4j.driver.Drivers.minimalCreate;
import static org.assertj.core.api.Assertions.assertThat;

import csi.v1.DeleteVolumeRequest;
import csi.v1.ListVolumesRequest;
import io.csi4j.testing.DriverProcess;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A driver killed with SIGKILL in the middle of creating and deleting volumes, then started
 * again on the same data directory: the CO's retries (the same calls, the same names) get the
 * volumes it was told about, and nothing is leaked.
 */
class RestartTest {

    private static final int STEPS = 60;
    private static final int KILL_AFTER = 15;

    @TempDir
    Path dir;

    /** Per name: the volume ID of the last create that answered, until a delete of it was sent. */
    private final Map<String, String> confirmed = new ConcurrentHashMap<>();

    /** Per name: the volume ID of a volume whose delete answered OK. */
    private final Map<String, String> deleted = new ConcurrentHashMap<>();

    /** Per name: every ID its creates answered before the kill. */
    private final Map<String, List<String>> answeredBeforeKill = new ConcurrentHashMap<>();

    @Test
    void aDriverKilledMidWayKeepsItsVolumesAndLeaksNothing() throws Exception {
        AtomicInteger stepsDone = new AtomicInteger();
        try (DriverProcess first = Drivers.start(dir)) {
            ExecutorService loop = Executors.newSingleThreadExecutor();
            try {
                Future<StatusRuntimeException> stopped = loop.submit(() -> {
                    try {
                        for (int step = 0; step < STEPS; step++) {
                            runStep(first, step, true);
                            stepsDone.incrementAndGet();
                        }
                        return null;
                    } catch (StatusRuntimeException e) {
                        return e; // the kill
                    }
                });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (stepsDone.get() < KILL_AFTER && !stopped.isDone() && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                first.kill();
                StatusRuntimeException killed = stopped.get(60, TimeUnit.SECONDS);

                assertThat(killed).as("the loop was stopped by the kill, after %s steps", stepsDone.get()).isNotNull();
                assertThat(stepsDone.get()).isBetween(KILL_AFTER, STEPS - 1);
            } finally {
                loop.shutdownNow();
                assertThat(loop.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            }
        }
        answeredBeforeKill.forEach((name, ids) ->
                assertThat(Set.copyOf(ids)).as("IDs of %s before the kill", name).hasSize(1));

        try (DriverProcess second = Drivers.start(dir)) {
            Map<String, String> remembered = Map.copyOf(confirmed);
            Map<String, String> gone = Map.copyOf(deleted);
            Map<String, String> ids = new ConcurrentHashMap<>();
            for (int step = 0; step < STEPS; step++) {
                String name = name(step);
                String id = runStep(second, step, false);
                ids.put(name, id);
                if (remembered.containsKey(name)) {
                    assertThat(id).as("the ID of %s, created before the kill", name).isEqualTo(remembered.get(name));
                }
                if (gone.containsKey(name)) {
                    assertThat(id).as("the ID of %s, deleted before the kill", name).isNotEqualTo(gone.get(name));
                }
            }

            for (int step = 0; step < STEPS; step++) {
                if (!deletedInStep(step)) {
                    delete(second, ids.get(name(step)));
                }
            }

            assertThat(second.controller().listVolumes(ListVolumesRequest.getDefaultInstance()).getEntriesList())
                    .isEmpty();
            assertThat(entries(Drivers.dataDir(dir).resolve("volumes"))).isEmpty();
            assertThat(entries(Drivers.dataDir(dir).resolve("records"))).isEmpty();
            assertThat(second.output()).doesNotContain(" ERROR ");
        }
    }

    /**
     * One step of the CO's work on volume {@code step}: create it, create it again (a retry),
     * and for every third volume delete it, twice. Returns the volume's ID.
     */
    private String runStep(DriverProcess driver, int step, boolean beforeKill) {
        String name = name(step);
        String id = create(driver, name);
        if (beforeKill) {
            answeredBeforeKill.computeIfAbsent(name, n -> new ArrayList<>()).add(id);
            confirmed.put(name, id);
        }
        String again = create(driver, name);
        assertThat(again).as("the ID of %s on a retry", name).isEqualTo(id);
        if (beforeKill) {
            answeredBeforeKill.get(name).add(again);
        }
        if (deletedInStep(step)) {
            if (beforeKill) {
                confirmed.remove(name); // from here on, the delete may or may not have happened
            }
            delete(driver, id);
            delete(driver, id);
            if (beforeKill) {
                deleted.put(name, id);
            }
        }
        return id;
    }

    private static boolean deletedInStep(int step) {
        return step % 3 == 2;
    }

    private static String name(int step) {
        return "pvc-restart-" + step;
    }

    private static String create(DriverProcess driver, String name) {
        return driver.controller().createVolume(minimalCreate(name).build()).getVolume().getVolumeId();
    }

    private static void delete(DriverProcess driver, String id) {
        driver.controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
    }

    private static List<Path> entries(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.toList();
        }
    }
}
