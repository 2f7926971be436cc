package dev.smtpwatch.it;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.ref.WeakReference;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/**
 * Deploys and undeploys a sample app the way a servlet container does, {@code rounds} times: each round a fresh
 * {@code URLClassLoader} over the app's fat jar (mail library and sender) whose parent is the system class loader,
 * one run of its main on a thread whose context class loader is that loader, then the loader closed and dropped.
 * At the end it waits until every loader is collected (or gives up after a while) and prints what a test reads:
 *
 * <pre>
 * redeploy: sent 100 of 100
 * redeploy: loaders collected 100 of 100
 * redeploy: metaspace after round 10 41234567 bytes, after round 100 41234999 bytes, first deployment 2345678 bytes
 * </pre>
 *
 * Usage: {@code RedeployHost <app.jar> <rounds>}.
 */
public final class RedeployHost {
    /** The round whose Metaspace is the baseline: the agent, the JIT and the JDK's own caches have settled. */
    private static final int BASELINE_ROUND = 10;
    private static final long COLLECT_TIMEOUT_MILLIS = 30_000;

    private RedeployHost() {
    }

    public static void main(String[] args) throws Exception {
        String jarPath = args[0];
        int rounds = Integer.parseInt(args[1]);
        URL jar = Paths.get(jarPath).toUri().toURL();
        String mainClass;
        try (JarFile file = new JarFile(jarPath)) {
            mainClass = file.getManifest().getMainAttributes().getValue("Main-Class");
        }
        List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
        long beforeFirst = metaspaceAfterGc();
        long firstDeployment = 0;
        long baseline = 0;
        int sent = 0;
        for (int round = 1; round <= rounds; round++) {
            URLClassLoader webapp = new URLClassLoader(new URL[] {jar}, ClassLoader.getSystemClassLoader());
            if (deploy(webapp, mainClass)) {
                sent++;
            }
            if (round == 1) {
                firstDeployment = metaspaceUsed() - beforeFirst;
            }
            webapp.close();
            loaders.add(new WeakReference<>(webapp));
            webapp = null;
            if (round == BASELINE_ROUND) {
                baseline = metaspaceAfterGc();
            }
        }
        System.out.println("redeploy: sent " + sent + " of " + rounds);
        System.out.println("redeploy: loaders collected " + awaitCollected(loaders) + " of " + rounds);
        for (int i = 0; i < loaders.size(); i++) {
            if (loaders.get(i).get() != null) {
                System.out.println("redeploy: the loader of round " + (i + 1) + " is still reachable");
            }
        }
        System.out.println("redeploy: metaspace after round " + BASELINE_ROUND + " " + baseline + " bytes, after round "
                + rounds + " " + metaspaceAfterGc() + " bytes, first deployment " + firstDeployment + " bytes");
    }

    /** Runs the app's main on a thread of its own, as a request thread of the webapp; true when it sent. */
    private static boolean deploy(ClassLoader webapp, String mainClass) throws InterruptedException {
        boolean[] sent = new boolean[1];
        Thread request = new Thread(() -> {
            try {
                webapp.loadClass(mainClass).getMethod("main", String[].class).invoke(null, (Object) new String[0]);
                sent[0] = true;
            } catch (InvocationTargetException e) {
                e.getCause().printStackTrace();
            } catch (ReflectiveOperationException e) {
                e.printStackTrace();
            }
        }, "request");
        request.setContextClassLoader(webapp);
        request.start();
        request.join();
        return sent[0];
    }

    private static int awaitCollected(List<WeakReference<ClassLoader>> loaders) throws InterruptedException {
        long deadline = System.currentTimeMillis() + COLLECT_TIMEOUT_MILLIS;
        int collected;
        do {
            System.gc();
            collected = (int) loaders.stream().filter(l -> l.get() == null).count();
            if (collected == loaders.size()) {
                break;
            }
            Thread.sleep(100);
        } while (System.currentTimeMillis() < deadline);
        return collected;
    }

    private static long metaspaceAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return metaspaceUsed();
    }

    private static long metaspaceUsed() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals("Metaspace")) {
                return pool.getUsage().getUsed();
            }
        }
        throw new IllegalStateException("this JVM has no Metaspace pool");
    }
}
