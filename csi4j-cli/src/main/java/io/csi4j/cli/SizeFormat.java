package io.csi4j.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Shows a byte count for people: {@code 1073741824 (1 GiB)}, {@code 1500000000 (1.4 GiB)}. */
public final class SizeFormat {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private SizeFormat() {}

    /** The exact bytes followed by the human form in parentheses. */
    public static String describe(long bytes) {
        return bytes + " (" + human(bytes) + ")";
    }

    /**
     * The largest binary unit that keeps the number at least 1: a whole number when exact,
     * else rounded to one decimal.
     */
    public static String human(long bytes) {
        if (bytes < 0) {
            return bytes + " B";
        }
        int unit = 0;
        while (unit + 1 < UNITS.length && bytes >= 1L << (10 * (unit + 1))) {
            unit++;
        }
        BigDecimal value = BigDecimal.valueOf(bytes).divide(BigDecimal.TWO.pow(10 * unit));
        if (value.stripTrailingZeros().scale() <= 0) {
            return value.toBigInteger() + " " + UNITS[unit];
        }
        BigDecimal rounded = value.setScale(1, RoundingMode.HALF_UP);
        if (rounded.compareTo(BigDecimal.valueOf(1024)) >= 0 && unit + 1 < UNITS.length) {
            rounded = value.divide(BigDecimal.valueOf(1024)).setScale(1, RoundingMode.HALF_UP);
            unit++;
        }
        return rounded.toPlainString() + " " + UNITS[unit];
    }
}
