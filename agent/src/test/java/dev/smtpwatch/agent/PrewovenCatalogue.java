package dev.smtpwatch.agent;

import dev.smtpwatch.instrumentation.Instrumentations;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link PrewovenClasses}: weaves every instrumented class of the library builds in target/library-jars
 * with {@link AdviceWeaver} and writes the result under the SHA-256 of the original into target/classes (run by
 * the build before the tests, so {@code PrewovenClassesTest} checks what goes into the jar).
 * Usage: {@code PrewovenCatalogue <library-jars dir> <classes dir>}.
 */
public final class PrewovenCatalogue {
    private static final String JAKARTA_API = "jakarta.mail-api-2.1.5.jar";
    private static final String JAKARTA_ACTIVATION = "jakarta.activation-api-2.1.4.jar";

    /** Each library jar with the API jars its super classes come from. */
    static final Map<String, List<String>> LIBRARIES = new LinkedHashMap<>();

    static {
        LIBRARIES.put("javax.mail-1.4.7.jar", List.of());
        LIBRARIES.put("javax.mail-1.6.2.jar", List.of());
        LIBRARIES.put("jakarta.mail-2.0.1.jar", List.of());
        LIBRARIES.put("angus-mail-1.1.0.jar", List.of(JAKARTA_API, JAKARTA_ACTIVATION));
        LIBRARIES.put("angus-mail-2.0.5.jar", List.of(JAKARTA_API, JAKARTA_ACTIVATION));
        LIBRARIES.put("spring-context-support-5.3.39.jar", List.of("spring-core-5.3.39.jar",
            "spring-beans-5.3.39.jar", "javax.mail-1.6.2.jar", "javax.activation-1.2.0.jar"));
        LIBRARIES.put("spring-context-support-6.2.19.jar", List.of("spring-core-6.2.19.jar",
            "spring-beans-6.2.19.jar", JAKARTA_API, JAKARTA_ACTIVATION));
    }

    private PrewovenCatalogue() {
    }

    public static void main(String[] args) throws IOException {
        Path jars = Paths.get(args[0]);
        Path out = Paths.get(args[1]).resolve(PrewovenClasses.DIRECTORY);
        Files.createDirectories(out);
        AdviceWeaver weaver = new AdviceWeaver(Instrumentations.all());
        int written = 0;
        for (Map.Entry<String, List<String>> library : LIBRARIES.entrySet()) {
            try (URLClassLoader loader = loader(jars, library.getKey(), library.getValue())) {
                for (String name : HookTransformer.TYPE_NAMES) {
                    byte[] original = classFile(loader, library.getKey(), name);
                    if (original == null) {
                        continue;
                    }
                    List<String> missing = new ArrayList<>();
                    byte[] woven = weaver.weave(name, original, loader, missing);
                    if (woven == null) {
                        throw new IllegalStateException(name + " in " + library.getKey() + " lacks " + missing);
                    }
                    Files.write(Paths.get(args[1]).resolve(PrewovenClasses.resourceName(original)), woven);
                    written++;
                }
            }
        }
        System.out.println("pre-woven classes: " + written + " written to " + out);
    }

    static URLClassLoader loader(Path jars, String jar, List<String> api) throws IOException {
        List<URL> urls = new ArrayList<>();
        urls.add(jars.resolve(jar).toUri().toURL());
        for (String name : api) {
            urls.add(jars.resolve(name).toUri().toURL());
        }
        return new URLClassLoader(urls.toArray(new URL[0]), null);
    }

    /** The class's bytes from {@code jar} itself (not from an API jar beside it), or null when it has none. */
    static byte[] classFile(URLClassLoader loader, String jar, String className) throws IOException {
        URL url = loader.findResource(className.replace('.', '/') + ".class");
        if (url == null || !url.toString().contains(jar)) {
            return null;
        }
        try (InputStream in = url.openStream()) {
            return in.readAllBytes();
        }
    }
}
