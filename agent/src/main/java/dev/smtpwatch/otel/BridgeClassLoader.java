package dev.smtpwatch.otel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;

/**
 * Defines one copy of the bridge's implementation (a jar nested in the agent jar, kept out of the agent's
 * relocation) over someone else's OpenTelemetry API: the app's ({@code parent} = the app's class loader) or the
 * OpenTelemetry Java agent's relocated one ({@code parent} = null, the bootstrap loader). The bridge's JDK-typed
 * interface and everything else of smtpwatch come from the agent's own loader, so the agent can call it.
 */
final class BridgeClassLoader extends ClassLoader {
    private final Map<String, byte[]> classes;
    private final ClassLoader agentLoader;

    private BridgeClassLoader(ClassLoader parent, Map<String, byte[]> classes, ClassLoader agentLoader) {
        super(parent);
        this.classes = classes;
        this.agentLoader = agentLoader;
    }

    /** @param nestedJar resource path of the nested jar in the agent jar */
    static BridgeClassLoader over(ClassLoader parent, String nestedJar) throws IOException {
        ClassLoader agentLoader = BridgeClassLoader.class.getClassLoader();
        InputStream in = agentLoader.getResourceAsStream(nestedJar);
        if (in == null) {
            throw new IOException(nestedJar + " is missing from the agent jar");
        }
        Map<String, byte[]> classes = new HashMap<String, byte[]>();
        JarInputStream jar = new JarInputStream(in);
        try {
            for (JarEntry e = jar.getNextJarEntry(); e != null; e = jar.getNextJarEntry()) {
                String name = e.getName();
                if (name.endsWith(".class")) {
                    classes.put(name.substring(0, name.length() - 6).replace('/', '.'), readAll(jar));
                }
            }
        } finally {
            jar.close();
        }
        return new BridgeClassLoader(parent, classes, agentLoader);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                byte[] bytes = classes.get(name);
                if (bytes != null) {
                    c = defineClass(name, bytes, 0, bytes.length);
                } else if (name.startsWith("dev.smtpwatch.")) {
                    c = agentLoader.loadClass(name);
                } else {
                    return super.loadClass(name, resolve);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
