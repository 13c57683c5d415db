package io.csi4j.cli;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;

/**
 * Parses a size in bytes: plain bytes ({@code 1000}), decimal suffixes ({@code k K M G T P E}:
 * powers of 1000) or binary ones ({@code Ki Mi Gi Ti Pi Ei}: powers of 1024), as Kubernetes
 * writes them. A fraction is allowed when it comes to whole bytes ({@code 1.5Gi}). Also the
 * picocli converter of the {@code SIZE} options.
 */
public final class SizeParser implements ITypeConverter<Long> {

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)([kKMGTPE]i?)?");

    private static final Map<String, BigDecimal> UNITS = Map.ofEntries(
            Map.entry("k", BigDecimal.TEN.pow(3)), Map.entry("K", BigDecimal.TEN.pow(3)),
            Map.entry("M", BigDecimal.TEN.pow(6)), Map.entry("G", BigDecimal.TEN.pow(9)),
            Map.entry("T", BigDecimal.TEN.pow(12)), Map.entry("P", BigDecimal.TEN.pow(15)),
            Map.entry("E", BigDecimal.TEN.pow(18)),
            Map.entry("Ki", BigDecimal.TWO.pow(10)), Map.entry("Mi", BigDecimal.TWO.pow(20)),
            Map.entry("Gi", BigDecimal.TWO.pow(30)), Map.entry("Ti", BigDecimal.TWO.pow(40)),
            Map.entry("Pi", BigDecimal.TWO.pow(50)), Map.entry("Ei", BigDecimal.TWO.pow(60)));

    /** The number of bytes {@code text} stands for; {@link IllegalArgumentException} saying why when it is no size. */
    public static long parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty size");
        }
        if (text.startsWith("-")) {
            throw new IllegalArgumentException("'" + text + "': a size cannot be negative");
        }
        Matcher m = SIZE.matcher(text);
        if (!m.matches() || (m.group(2) != null && !UNITS.containsKey(m.group(2)))) {
            throw new IllegalArgumentException("'" + text + "' is not a size: give bytes or a number with a suffix"
                    + " such as 512Mi, 1Gi, 10G (Ki Mi Gi Ti Pi Ei are powers of 1024; k M G T P E of 1000)");
        }
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(m.group(2) == null ? BigDecimal.ONE : UNITS.get(m.group(2)));
        if (bytes.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number of bytes");
        }
        try {
            return bytes.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large (at most " + Long.MAX_VALUE + " bytes)");
        }
    }

    @Override
    public Long convert(String value) {
        return Conversions.converted(SizeParser::parse, value);
    }
}
