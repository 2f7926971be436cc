package dev.smtpwatch.export;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * Version of a mail library, read from the jar its transport class came from: the manifest, or, in an app's
 * fat jar where the manifest is the app's, the Maven metadata the library's jar carried in. This is I/O, so it
 * runs on the export thread, once per class.
 */
final class LibraryVersions {
    private static final String UNKNOWN = "";
    private static final String[] MAVEN_COORDINATES = {
        "com.sun.mail/javax.mail", "com.sun.mail/jakarta.mail", "org.eclipse.angus/angus-mail",
        "org.eclipse.angus/smtp", "com.sun.mail/smtp", "javax.mail/mail"};
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
        URL classFile = c.getResource(c.getSimpleName() + ".class");
        String url = classFile == null ? null : classFile.toString();
        int bang = url == null ? -1 : url.lastIndexOf("!/");
        if (bang < 0) {
            return UNKNOWN;
        }
        String jarRoot = url.substring(0, bang + 2);
        for (String coordinates : MAVEN_COORDINATES) {
            Properties pom = load(jarRoot + "META-INF/maven/" + coordinates + "/pom.properties");
            if (pom != null && pom.getProperty("version") != null) {
                return pom.getProperty("version");
            }
        }
        try (InputStream in = new URL(jarRoot + "META-INF/MANIFEST.MF").openStream()) {
            Attributes main = new Manifest(in).getMainAttributes();
            String v = main.getValue("Bundle-Version");
            return v == null ? UNKNOWN : v;
        } catch (IOException | RuntimeException unreadable) {
            return UNKNOWN;
        }
    }

    private static Properties load(String url) {
        try (InputStream in = new URL(url).openStream()) {
            Properties properties = new Properties();
            properties.load(in);
            return properties;
        } catch (IOException | RuntimeException absent) {
            return null;
        }
    }
}
