package dev.smtpwatch.agent;

import dev.smtpwatch.bootstrap.HookDispatcher;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

/**
 * A second copy of {@code dev.smtpwatch.bootstrap}, on the bootstrap class path, for class loaders that do not
 * delegate to the application class loader (an isolated {@code URLClassLoader}, an OSGi bundle, an app server
 * module): every loader reaches the bootstrap one through its parent chain. Its classes are copied from the agent
 * jar into a tiny jar of their own (a temporary file, deleted on exit) when the first such loader shows up, not
 * before: with class data sharing on, the JVM prints a warning of its own when the bootstrap path grows
 * ("Sharing is only supported for boot loader classes because bootstrap classpath has been appended").
 *
 * <p>The copy's {@code Hooks} interface is a class of its own, so the agent's hooks are installed through a
 * proxy that passes each call on to the same method of the agent's hooks (JDK types only, so the signatures match).
 * The OpenTelemetry Java agent extension installs its hooks the same way ({@link #installInto}) in the copies
 * that agent defines in the app's class loaders.
 */
public final class BootstrapDispatcher {
    /** The classes of the jar, as resource names in the agent jar. */
    private static final String[] CLASSES = {
        "dev/smtpwatch/bootstrap/HookDispatcher.class", "dev/smtpwatch/bootstrap/HookDispatcher$Hooks.class"};

    private BootstrapDispatcher() {
    }

    /** Appends the jar and installs {@code agentHooks}; returns the bootstrap copy of the dispatcher. */
    static Class<?> install(Instrumentation instrumentation, Object agentHooks) throws Exception {
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(writeJar()));
        Class<?> dispatcher = Class.forName(HookDispatcher.class.getName(), true, null);
        installInto(dispatcher, agentHooks);
        return dispatcher;
    }

    /**
     * Installs {@code agentHooks} in another copy of the dispatcher: the bootstrap one, or one the OpenTelemetry
     * Java agent defined in an app's class loader for the extension.
     */
    public static void installInto(Class<?> dispatcher, Object agentHooks) throws Exception {
        ClassLoader loader = dispatcher.getClassLoader();
        Class<?> hooksType = Class.forName(HookDispatcher.Hooks.class.getName(), false, loader);
        Object bridge = Proxy.newProxyInstance(loader, new Class<?>[] {hooksType}, new Forwarder(agentHooks));
        dispatcher.getMethod("install", hooksType).invoke(null, bridge);
    }

    private static File writeJar() throws IOException {
        File jar = File.createTempFile("smtpwatch-bootstrap-", ".jar");
        jar.deleteOnExit();
        OutputStream file = new FileOutputStream(jar);
        try {
            JarOutputStream out = new JarOutputStream(file);
            for (String name : CLASSES) {
                out.putNextEntry(new ZipEntry(name));
                copy(name, out);
                out.closeEntry();
            }
            out.finish();
        } finally {
            file.close();
        }
        return jar;
    }

    private static void copy(String resource, OutputStream out) throws IOException {
        InputStream in = BootstrapDispatcher.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IOException(resource + " is missing from the agent jar");
        }
        try {
            byte[] buffer = new byte[4096];
            for (int n; (n = in.read(buffer)) != -1; ) {
                out.write(buffer, 0, n);
            }
        } finally {
            in.close();
        }
    }

    /** Each method of the bootstrap copy's interface to the same-named, same-typed method of the agent's hooks. */
    private static final class Forwarder implements InvocationHandler {
        private final Object target;
        private final Map<Method, Method> targets = new ConcurrentHashMap<Method, Method>();

        Forwarder(Object target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Method same = targets.get(method);
            if (same == null) {
                same = target.getClass().getMethod(method.getName(), method.getParameterTypes());
                targets.put(method, same);
            }
            try {
                return same.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
