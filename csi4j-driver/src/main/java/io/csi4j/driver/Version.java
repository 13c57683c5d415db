package io.csi4j.driver;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version the build stamped into the driver. */
public final class Version implements IVersionProvider {

    private static final String VALUE = load();

    public static String value() {
        return VALUE;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"csi4j " + VALUE, "JVM " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            Properties props = new Properties();
            if (in != null) {
                props.load(in);
            }
            return props.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
