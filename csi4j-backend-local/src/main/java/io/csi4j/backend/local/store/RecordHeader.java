package io.csi4j.backend.local.store;

import java.util.Objects;
import java.util.Properties;

/** What every record file begins with: its format, the record's ID, name and state. */
final class RecordHeader {

    private static final String FORMAT = "1";

    private RecordHeader() {}

    static Properties write(Object id, String name, String state) {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("id", id.toString());
        p.setProperty("name", name);
        p.setProperty("state", state);
        return p;
    }

    /** Refuses a record without the header's fields. */
    static void require(Object id, String name, String state) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
    }

    /** Refuses a file of another format; {@code what} names the kind of record in the message. */
    static void check(Properties p, String what) {
        if (!FORMAT.equals(p.getProperty("format"))) {
            throw new IllegalArgumentException("unknown " + what + " format " + p.getProperty("format"));
        }
    }
}
