package io.csi4j.backend.local.store;

import io.csi4j.spi.InvalidPageToken;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Paging through records kept by UUID: the token is the last UUID of the previous page, so a
 * page costs the same however many records exist, and records made or removed between pages
 * never shift the rest.
 *
 * @param items     this page
 * @param nextToken the next page's token, "" after the last page
 */
public record Pages<T>(List<T> items, String nextToken) {

    static final int DEFAULT_PAGE = 500;

    /**
     * The page of {@code byUuid}'s records after {@code token}, those {@code wanted} accepts,
     * turned into what callers see.
     *
     * @throws InvalidPageToken when {@code token} is not one this class issued
     */
    public static <R, T> Pages<T> page(NavigableMap<String, R> byUuid, String token, int maxEntries, Predicate<R> wanted,
                                Function<R, T> view) {
        if (!token.isEmpty() && !token.matches("[0-9a-f]{32}")) {
            throw new InvalidPageToken("unknown listing token '" + token + "'; start the listing again");
        }
        int limit = maxEntries > 0 ? maxEntries : DEFAULT_PAGE;
        List<T> page = new ArrayList<>(Math.min(limit, 1024));
        String last = null;
        for (var entry : byUuid.tailMap(token, false).entrySet()) {
            if (!wanted.test(entry.getValue())) {
                continue;
            }
            if (page.size() == limit) {
                return new Pages<>(page, last);
            }
            page.add(view.apply(entry.getValue()));
            last = entry.getKey();
        }
        return new Pages<>(page, "");
    }
}
