package dev.smtpwatch.agent;

import dev.smtpwatch.bootstrap.HookDispatcher;
import dev.smtpwatch.instrumentation.AgentHooks;
import dev.smtpwatch.instrumentation.Instrumentations;
import dev.smtpwatch.instrumentation.javamail.SmtpTransportInstrumentation;
import dev.smtpwatch.instrumentation.spring.JavaMailSenderInstrumentation;
import dev.smtpwatch.session.AgentThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Answers every class load with one hash lookup of its name; only the few instrumented classes go further. The
 * first of them starts the recorder and installs the hooks, unless the mail API's {@code Session} class started
 * that on a background thread already: an app that never loads a mail class loads none of it. A library build the
 * agent was built against is served from {@link PrewovenClasses}; any other is woven by {@link AdviceWeaver}, where
 * Byte Buddy is first loaded. A class of a shape we do not know, or one
 * the weaving fails on, is left untouched with one WARN per class name.
 */
final class HookTransformer implements ClassFileTransformer {
    private final Instrumentation instrumentation;
    private final DeferredLog log;
    private final Runnable startRecording;
    /** Internal class name → true for an instrumented class, false for a mail {@code Session} (see below). */
    private final Map<String, Boolean> names;
    private final Set<String> warned = Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());
    private final AtomicBoolean preparing = new AtomicBoolean();
    private volatile AdviceWeaver weaver;
    private volatile Throwable preparationFailure;
    private volatile Object agentHooks;
    private Class<?> bootstrapDispatcher;

    HookTransformer(Instrumentation instrumentation, DeferredLog log, Runnable startRecording) {
        this.instrumentation = instrumentation;
        this.log = log;
        this.startRecording = startRecording;
        Map<String, Boolean> byName = new HashMap<String, Boolean>();
        for (String session : MAIL_SESSIONS) {
            byName.put(session, Boolean.FALSE);
        }
        for (String name : TYPE_NAMES) {
            byName.put(name.replace('.', '/'), Boolean.TRUE);
        }
        this.names = byName;
    }

    private static final String[] MAIL_SESSIONS = {"javax/mail/Session", "jakarta/mail/Session"};

    /**
     * Every instrumentation's {@code typeNames()}, as the compile-time constants they are made of: reading them
     * loads no instrumentation class, whose verification would load Byte Buddy's matcher types at {@code premain}.
     */
    static final String[] TYPE_NAMES = {SmtpTransportInstrumentation.JAVAMAIL_TRANSPORT,
        SmtpTransportInstrumentation.ANGUS_TRANSPORT, JavaMailSenderInstrumentation.SPRING_SENDER};

    /** Whether {@code className} (binary name) is one we instrument. */
    boolean wants(String className) {
        return Boolean.TRUE.equals(names.get(className.replace('.', '/')));
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classFile) {
        Boolean instrumented = internalName == null ? null : names.get(internalName);
        if (instrumented == null) {
            return null;
        }
        if (!instrumented) {
            prepareInBackground(loader);
            return null;
        }
        String name = internalName.replace('/', '.');
        try {
            if (!recording()) {
                warnOnce(name, "could not start recording (" + preparationFailure + ")");
                return null;
            }
            String unreachable = dispatcherUnreachableFrom(loader);
            if (unreachable != null) {
                warnOnce(name, unreachable);
                return null;
            }
            long start = System.nanoTime();
            byte[] prewoven = PrewovenClasses.lookup(classFile);
            if (prewoven != null) {
                log.get().debug("instrumented {} in {} ms, pre-woven", name, millis(System.nanoTime() - start));
                return prewoven;
            }
            AdviceWeaver adviceWeaver = weaver();
            if (adviceWeaver == null) {
                warnOnce(name, "could not prepare the instrumentation (" + preparationFailure + ")");
                return null;
            }
            List<String> missing = new ArrayList<String>();
            byte[] woven = adviceWeaver.weave(name, classFile, loader, missing);
            if (woven == null) {
                warnOnce(name, "this library version has no " + String.join(", ", missing));
                return null;
            }
            log.get().debug("instrumented {} in {} ms", name, millis(System.nanoTime() - start));
            return woven;
        } catch (Throwable t) {
            warnOnce(name, "weaving failed (" + t + ")");
            return null;
        }
    }

    /**
     * The mail API's {@code Session} is loaded before the transport (the app builds its session, the library reads
     * its provider lists): the recorder is started then, on another core while the app goes on, and Byte Buddy is
     * prepared too unless every transport the session's loader can see is a build in the pre-woven classes. The
     * transport's transformation waits only for what is left.
     */
    private void prepareInBackground(final ClassLoader sessionLoader) {
        if (preparationFailure == null && weaver == null && preparing.compareAndSet(false, true)) {
            AgentThreads.newThread("smtpwatch-prepare", new Runnable() {
                @Override
                public void run() {
                    if (recording() && !allPrewoven(sessionLoader)) {
                        weaver();
                    }
                }
            }, true).start();
        }
    }

    /** Whether every instrumented class {@code loader} can see is served pre-woven (false when it sees none). */
    private static boolean allPrewoven(ClassLoader loader) {
        boolean seen = false;
        for (String name : TYPE_NAMES) {
            InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(name.replace('.', '/') + ".class")
                : loader.getResourceAsStream(name.replace('.', '/') + ".class");
            if (in == null) {
                continue;
            }
            try {
                try {
                    if (PrewovenClasses.lookup(readAll(in)) == null) {
                        return false;
                    }
                } finally {
                    in.close();
                }
            } catch (IOException unreadable) {
                return false;
            }
            seen = true;
        }
        return seen;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) != -1; ) {
            bytes.write(buffer, 0, n);
        }
        return bytes.toByteArray();
    }

    /** The recorder, rules and exporters started and the dispatcher's hooks installed, once; false if that failed. */
    private boolean recording() {
        if (agentHooks != null) {
            return true;
        }
        synchronized (this) {
            if (agentHooks == null && preparationFailure == null) {
                try {
                    long start = System.nanoTime();
                    startRecording.run();
                    agentHooks = AgentHooks.install();
                    log.get().debug("first mail class: recorder started in {} ms", millis(System.nanoTime() - start));
                } catch (Throwable t) {
                    preparationFailure = t;
                }
            }
            return agentHooks != null;
        }
    }

    /**
     * Byte Buddy's advice, prepared once, by the background thread or the first class that is not pre-woven,
     * whichever comes first (the other waits); a failure is kept so every later class says why.
     */
    private AdviceWeaver weaver() {
        AdviceWeaver w = weaver;
        if (w != null || preparationFailure != null) {
            return w;
        }
        synchronized (this) {
            if (weaver == null && preparationFailure == null) {
                try {
                    long start = System.nanoTime();
                    weaver = new AdviceWeaver(Instrumentations.all());
                    log.get().debug("advice prepared in {} ms", millis(System.nanoTime() - start));
                } catch (Throwable t) {
                    preparationFailure = t;
                }
            }
            return weaver;
        }
    }

    /**
     * Null when {@code loader} resolves {@link HookDispatcher} to a copy with our hooks installed, else why not.
     * Woven code calls the dispatcher from the class's own loader, and so does its exception handler: a loader
     * that could not resolve it would turn each call into a NoClassDefFoundError the handler could not catch,
     * so such a class is left alone. A loader that does not see the agent jar's copy gets the bootstrap one.
     */
    private String dispatcherUnreachableFrom(ClassLoader loader) throws Exception {
        Class<?> seen = loader == null ? null : dispatcherSeenBy(loader);
        if (seen == HookDispatcher.class) {
            return null;
        }
        Class<?> bootstrapCopy = bootstrapDispatcher();
        if (seen == null) {
            seen = loader == null ? bootstrapCopy : dispatcherSeenBy(loader);
        }
        if (seen == bootstrapCopy) {
            return null;
        }
        return "its class loader " + loader + (seen == null ? " does not delegate " : " has its own copy of ")
            + HookDispatcher.class.getName() + " (OSGi: add dev.smtpwatch.bootstrap to "
            + "org.osgi.framework.bootdelegation; JBoss Modules: add dev.smtpwatch.bootstrap to "
            + "jboss.modules.system.pkgs)";
    }

    private static Class<?> dispatcherSeenBy(ClassLoader loader) {
        try {
            return Class.forName(HookDispatcher.class.getName(), false, loader);
        } catch (ClassNotFoundException | LinkageError notVisible) {
            return null;
        }
    }

    private synchronized Class<?> bootstrapDispatcher() throws Exception {
        if (bootstrapDispatcher == null) {
            bootstrapDispatcher = BootstrapDispatcher.install(instrumentation, agentHooks);
            log.get().debug("put {} on the bootstrap class path for class loaders that do not see the agent jar",
                HookDispatcher.class.getName());
        }
        return bootstrapDispatcher;
    }

    private static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
    }

    private void warnOnce(String className, String reason) {
        if (warned.add(className)) {
            log.get().warn("not instrumenting {}: {}; its mail sessions are not recorded", className, reason);
        }
    }
}
