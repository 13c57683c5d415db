package io.csi4j.cli.group;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks on the repeatable ID options of the group commands. */
final class GroupIds {

    private GroupIds() {}

    /** The ID given twice in {@code ids}, or null when each is given once. */
    static String repeated(List<String> ids) {
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            if (!seen.add(id)) {
                return id;
            }
        }
        return null;
    }
}
