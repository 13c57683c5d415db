package io.csi4j.bench.workload;

import csi.v1.ListVolumesRequest;
import csi.v1.ListVolumesResponse;
import io.csi4j.bench.run.Csi;
import io.csi4j.bench.run.Limit;
import io.csi4j.bench.run.Progress;
import io.csi4j.bench.run.Runner;
import io.csi4j.bench.run.SetupFailed;
import io.csi4j.bench.run.Workload;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A whole paginated ListVolumes, page after page until the driver gives no next token, over
 * {@code volumes} volumes that the setup creates. One operation is one whole listing; each page
 * is one ListVolumes call.
 */
public final class Listing implements Workload {

    private final long volumes;
    private final int pageSize;
    private final AtomicLong entries = new AtomicLong();
    private final AtomicLong pages = new AtomicLong();

    public Listing(long volumes, int pageSize) {
        if (volumes < 0 || pageSize < 0) {
            throw new IllegalArgumentException("volumes and page size must not be negative");
        }
        this.volumes = volumes;
        this.pageSize = pageSize;
    }

    @Override
    public String name() {
        return "list";
    }

    @Override
    public void prepare(Csi csi, Runner runner, String names) {
        Runner.Ran made = runner.run(csi, names, new Limit.Count(volumes), (c, name, index) -> c.createVolume(name),
                Progress.NONE);
        if (made.succeeded() < volumes) {
            throw new SetupFailed(made.failed() + " of " + volumes + " volumes could not be created"
                    + (made.done() < volumes ? " (stopped)" : ""));
        }
    }

    @Override
    public void run(Csi csi, String name, long index) {
        String token = "";
        long seen = 0;
        long calls = 0;
        do {
            ListVolumesRequest request = ListVolumesRequest.newBuilder().setMaxEntries(pageSize).setStartingToken(token).build();
            ListVolumesResponse page = csi.call("ListVolumes", () -> csi.controller().listVolumes(request));
            seen += page.getEntriesCount();
            calls++;
            token = page.getNextToken();
        } while (!token.isEmpty());
        entries.set(seen);
        pages.set(calls);
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of("entriesPerListing", entries.get(), "pagesPerListing", pages.get());
    }
}
