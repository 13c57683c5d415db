package io.csi4j.spi;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * Sizes written as Kubernetes writes resource quantities ({@code 512Mi}, {@code 1G},
 * {@code 1073741824}), as they arrive in StorageClass parameters and inline volume attributes.
 */
public final class Quantity {

    private static final String BINARY = "KMGTPE";

    private Quantity() {}

    /**
     * The bytes {@code text} stands for: a whole number or decimal fraction followed by nothing, a
     * decimal suffix ({@code k M G T P E}) or a binary one ({@code Ki Mi Gi Ti Pi Ei}); empty when it is
     * not such a size, is negative, is not a whole number of bytes or does not fit in a long.
     */
    public static Optional<Long> bytes(String text) {
        int digits = 0;
        while (digits < text.length() && (Character.isDigit(text.charAt(digits)) || text.charAt(digits) == '.')) {
            digits++;
        }
        if (digits == 0) {
            return Optional.empty();
        }
        BigDecimal factor = factor(text.substring(digits));
        if (factor == null) {
            return Optional.empty();
        }
        try {
            BigDecimal bytes = new BigDecimal(text.substring(0, digits)).multiply(factor);
            return Optional.of(bytes.longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    private static BigDecimal factor(String suffix) {
        if (suffix.isEmpty()) {
            return BigDecimal.ONE;
        }
        if (suffix.length() == 2 && suffix.charAt(1) == 'i' && BINARY.indexOf(suffix.charAt(0)) >= 0) {
            return BigDecimal.TWO.pow(10 * (BINARY.indexOf(suffix.charAt(0)) + 1));
        }
        int decimal = suffix.length() == 1 ? "kMGTPE".indexOf(suffix.charAt(0)) : -1;
        return decimal >= 0 ? BigDecimal.TEN.pow(3 * (decimal + 1)) : null;
    }
}
