package dev.smtpwatch.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What {@code premain} installs: a JDK-only transformer that compares each loaded class's name with the few
 * we instrument and passes only those to Byte Buddy. Byte Buddy itself (about a thousand classes) is built on
 * a background thread while the app starts, so neither the JVM's start-up nor the loading of the app's
 * other classes pays for it; a transport class that arrives first waits for the build to finish.
 */
final class DeferredTransformer implements ClassFileTransformer {
    private static final long BUILD_TIMEOUT_SECONDS = 30;

    private final Set<String> internalNames;
    private final FutureTask<ClassFileTransformer> delegate;

    DeferredTransformer(List<String> classNames, Callable<ClassFileTransformer> build) {
        this.internalNames = new HashSet<String>();
        for (String name : classNames) {
            internalNames.add(name.replace('.', '/'));
        }
        this.delegate = new FutureTask<ClassFileTransformer>(build);
    }

    /** Builds the delegate on a daemon thread. */
    void buildInBackground() {
        Thread builder = new Thread(delegate, "smtpwatch-init");
        builder.setDaemon(true);
        builder.start();
    }

    /** Builds the delegate now, on the calling thread (runtime attach, where start-up time is not at stake). */
    void buildNow() {
        delegate.run();
    }

    boolean wants(String className) {
        return internalNames.contains(className.replace('.', '/'));
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer)
        throws IllegalClassFormatException {
        if (className == null || !internalNames.contains(className)) {
            return null;
        }
        ClassFileTransformer byteBuddy = awaitDelegate();
        return byteBuddy == null ? null
            : byteBuddy.transform(loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
    }

    private ClassFileTransformer awaitDelegate() {
        try {
            return delegate.get(BUILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "smtpwatch transformer for " + Arrays.toString(internalNames.toArray());
    }
}
