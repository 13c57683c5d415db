package io.csi4j.backend.nfs.controller;

import io.csi4j.backend.nfs.share.LocalShareFiles;
import io.csi4j.backend.nfs.share.NfsShareFiles;
import io.csi4j.backend.nfs.share.ShareFiles;
import io.csi4j.backend.nfs.volume.Location;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shares this controller has worked on since it started, each with its one way in (one libnfs
 * connection per export, reconnected when lost). ListVolumes pages through those it made volumes on.
 */
final class Shares implements AutoCloseable {

    private final Duration timeout;
    private final Map<Location, ShareFiles> known = new LinkedHashMap<>();
    private final java.util.Set<Location> used = new java.util.LinkedHashSet<>();

    Shares(Duration timeout) {
        this.timeout = timeout;
    }

    synchronized ShareFiles files(Location location) {
        return known.computeIfAbsent(location, l -> switch (l) {
            case Location.Nfs nfs -> new NfsShareFiles(nfs.export(), timeout);
            case Location.Shared shared -> new LocalShareFiles(shared.root());
        });
    }

    /** Records that a volume was made on {@code location}: ListVolumes looks there from now on. */
    synchronized void used(Location location) {
        used.add(location);
    }

    /** The shares volumes were made on, in the order first used. */
    synchronized List<Location> locations() {
        return new ArrayList<>(used);
    }

    @Override
    public synchronized void close() {
        for (ShareFiles files : known.values()) {
            if (files instanceof NfsShareFiles nfs) {
                nfs.close();
            }
        }
        known.clear();
    }
}
