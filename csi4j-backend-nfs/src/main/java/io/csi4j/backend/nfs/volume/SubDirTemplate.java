package io.csi4j.backend.nfs.volume;

import io.csi4j.spi.InvalidParameter;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands a {@code subDir} template: {@code ${pvc.metadata.name}}, {@code ${pvc.metadata.namespace}}
 * and {@code ${pv.metadata.name}}, filled from the parameters external-provisioner adds with
 * {@code --extra-create-metadata}. Every value must be one path segment and the result a relative
 * path inside the share, outside the driver's own {@code .csi4j} directory.
 */
public final class SubDirTemplate {

    /** Without a template the subdirectory is the volume's name (the PV name, under Kubernetes). */
    public static final String DEFAULT = "${volume.name}";
    /** The driver's own directory on each share (claims), never a volume's. */
    public static final String RESERVED = ".csi4j";

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");
    private static final Map<String, String> SOURCES = Map.of(
            "pvc.metadata.name", "csi.storage.k8s.io/pvc/name",
            "pvc.metadata.namespace", "csi.storage.k8s.io/pvc/namespace",
            "pv.metadata.name", "csi.storage.k8s.io/pv/name");

    private SubDirTemplate() {}

    public static String expand(String template, String volumeName, Map<String, String> parameters) {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String variable = m.group(1);
            String value;
            if (variable.equals("volume.name")) {
                value = volumeName;
            } else if (SOURCES.containsKey(variable)) {
                value = parameters.get(SOURCES.get(variable));
                if (value == null || value.isEmpty()) {
                    throw new InvalidParameter("subDir uses ${" + variable + "}, but the request lacks "
                            + SOURCES.get(variable) + " (run external-provisioner with --extra-create-metadata)");
                }
            } else {
                throw new InvalidParameter("subDir uses unknown variable ${" + Names.printable(variable) + "}; known: "
                        + SOURCES.keySet().stream().sorted().toList());
            }
            if (value.contains("/")) {
                throw new InvalidParameter("${" + variable + "} = '" + Names.printable(value) + "' is not one path segment");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        String subDir = Names.relative(out.toString(), "subDir");
        if (subDir.equals(RESERVED) || subDir.startsWith(RESERVED + "/")) {
            throw new InvalidParameter("subDir must not be inside the driver's own directory " + RESERVED);
        }
        return subDir;
    }
}
