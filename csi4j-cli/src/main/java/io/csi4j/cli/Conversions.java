package io.csi4j.cli;

import java.util.function.Function;
import picocli.CommandLine.TypeConversionException;

/** The picocli converters' common part: a parser's IllegalArgumentException becomes picocli's usage error. */
final class Conversions {

    private Conversions() {}

    /** {@code parser} applied to {@code value}; its IllegalArgumentException as a TypeConversionException. */
    static <T> T converted(Function<String, T> parser, String value) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
