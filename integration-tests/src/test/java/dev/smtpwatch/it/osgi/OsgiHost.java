package dev.smtpwatch.it.osgi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;

/**
 * Makes the sample app's fat jar a bundle whose activator sends its mail, starts an Apache Felix framework with its
 * defaults and the given properties, installs and starts the bundle, stops the framework. Usage:
 * {@code OsgiHost <app.jar> <work dir> [<framework property>=<value> …]}.
 */
public final class OsgiHost {
    private OsgiHost() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> config = new HashMap<>();
        Path workDir = Files.createDirectories(Paths.get(args[1]));
        Path bundleJar = mailBundle(Paths.get(args[0]), workDir);
        config.put(Constants.FRAMEWORK_STORAGE, workDir.resolve("felix-cache").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            config.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Felix framework = new Felix(config);
        framework.start();
        try {
            Bundle bundle = framework.getBundleContext().installBundle(bundleJar.toUri().toString());
            bundle.start();
        } finally {
            framework.stop();
            if (framework.waitForStop(10_000).getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                throw new IllegalStateException("the framework did not stop within 10 s");
            }
        }
    }

    /**
     * The sample app's fat jar (sender, Angus Mail, Jakarta Mail and Activation) made a bundle: an OSGi manifest, the
     * activator, the JDK's {@code javax.*} packages imported from the system bundle as needed.
     */
    private static Path mailBundle(Path appJar, Path workDir) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "dev.smtpwatch.it.mailbundle");
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Bundle-Activator", SendMailActivator.class.getName());
        main.putValue("Import-Package", "org.osgi.framework");
        main.putValue("DynamicImport-Package", "*");
        Path bundle = workDir.resolve("mail-bundle.jar");
        try (JarFile app = new JarFile(appJar.toFile());
                JarOutputStream out = new JarOutputStream(Files.newOutputStream(bundle), manifest)) {
            for (Enumeration<JarEntry> entries = app.entries(); entries.hasMoreElements(); ) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (name.startsWith("META-INF/MANIFEST.MF") || name.matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)")) {
                    continue;
                }
                out.putNextEntry(new JarEntry(name));
                try (InputStream in = app.getInputStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
            String activator = SendMailActivator.class.getName().replace('.', '/') + ".class";
            out.putNextEntry(new JarEntry(activator));
            try (InputStream in = SendMailActivator.class.getClassLoader().getResourceAsStream(activator)) {
                in.transferTo(out);
            }
            out.closeEntry();
        }
        return bundle;
    }
}
