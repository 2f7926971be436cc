package dev.smtpwatch.export;

import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * Version of a mail library, read from the manifest of the jar its transport class came from. Reading a
 * manifest is I/O, so this runs on the export thread, once per class.
 */
final class LibraryVersions {
    private static final String UNKNOWN = "";
    private final Map<Class<?>, String> cache = Collections.synchronizedMap(new WeakHashMap<Class<?>, String>());

    /** @return the version, or null when the jar does not say */
    String of(Class<?> transportClass) {
        String version = cache.get(transportClass);
        if (version == null) {
            version = read(transportClass);
            cache.put(transportClass, version);
        }
        return version.isEmpty() ? null : version;
    }

    private static String read(Class<?> c) {
        Package p = c.getPackage();
        if (p != null && p.getImplementationVersion() != null) {
            return p.getImplementationVersion();
        }
        try {
            URL classFile = c.getResource(c.getSimpleName() + ".class");
            String url = classFile == null ? null : classFile.toString();
            int bang = url == null ? -1 : url.lastIndexOf("!/");
            if (bang < 0) {
                return UNKNOWN;
            }
            try (InputStream in = new URL(url.substring(0, bang + 2) + "META-INF/MANIFEST.MF").openStream()) {
                Attributes main = new Manifest(in).getMainAttributes();
                String v = main.getValue("Implementation-Version");
                if (v == null) {
                    v = main.getValue("Bundle-Version");
                }
                return v == null ? UNKNOWN : v;
            }
        } catch (Exception unreadable) {
            return UNKNOWN;
        }
    }
}
