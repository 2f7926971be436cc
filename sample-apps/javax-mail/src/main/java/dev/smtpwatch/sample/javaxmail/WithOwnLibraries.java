package dev.smtpwatch.sample.javaxmail;

import java.lang.reflect.Method;

/**
 * An app that brings libraries the agent also uses (in its own, relocated copies): it generates a class with its
 * own Byte Buddy and logs through its own SLF4J — whatever versions the test puts on the class path, found by
 * name so that this app compiles without them — then sends mail as {@link SendMail} does. It prints what it used.
 */
public final class WithOwnLibraries {
    private WithOwnLibraries() {
    }

    public static void main(String[] args) throws Exception {
        if (present("net.bytebuddy.ByteBuddy")) {
            Object byteBuddy = Class.forName("net.bytebuddy.ByteBuddy").getConstructor().newInstance();
            Object builder = byteBuddy.getClass().getMethod("subclass", Class.class).invoke(byteBuddy, Object.class);
            Object unloaded = method("net.bytebuddy.dynamic.DynamicType$Builder", "make").invoke(builder);
            Object loaded = method("net.bytebuddy.dynamic.DynamicType$Unloaded", "load", ClassLoader.class)
                .invoke(unloaded, WithOwnLibraries.class.getClassLoader());
            Class<?> generated = (Class<?>) method("net.bytebuddy.dynamic.DynamicType$Loaded", "getLoaded")
                .invoke(loaded);
            System.out.println("sample app: its own Byte Buddy generated a subclass of "
                + generated.getSuperclass().getName());
        }
        if (present("org.slf4j.LoggerFactory")) {
            Object logger = Class.forName("org.slf4j.LoggerFactory").getMethod("getLogger", String.class)
                .invoke(null, "app");
            method("org.slf4j.Logger", "info", String.class).invoke(logger, "the app's own SLF4J line");
            System.out.println("sample app: SLF4J logger " + logger.getClass().getName());
        }
        SendMail.main(args);
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, WithOwnLibraries.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static Method method(String type, String name, Class<?>... parameters) throws Exception {
        return Class.forName(type).getMethod(name, parameters);
    }
}
