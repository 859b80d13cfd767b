package io.runnel.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * Supplies {@code runnel --version}: the project version, written into {@code runnel-version.properties} by Maven
 * resource filtering at build time, so the pom is the single source of the version string.
 */
public final class VersionProvider implements IVersionProvider {

    /** Classpath resource (relative to this package) holding {@code version=<project.version>}. */
    static final String RESOURCE = "runnel-version.properties";

    /** @return the one line {@code runnel <version>}, e.g. {@code runnel 0.1.0-SNAPSHOT}. */
    @Override
    public String[] getVersion() {
        return new String[] {"runnel " + version()};
    }

    /**
     * @return the project version, e.g. {@code 0.1.0-SNAPSHOT}
     * @throws IllegalStateException when the resource is missing or was not filtered (a broken build)
     */
    public static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("build is incomplete: " + RESOURCE + " is not on the classpath");
            }
            Properties props = new Properties();
            props.load(in);
            String version = props.getProperty("version", "").trim();
            if (version.isEmpty() || version.startsWith("${")) {
                throw new IllegalStateException("build is incomplete: " + RESOURCE + " was not filtered by Maven");
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
