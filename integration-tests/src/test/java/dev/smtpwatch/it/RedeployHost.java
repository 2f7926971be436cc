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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarFile;

/**
 * Deploys and undeploys a sample app the way a servlet container does, {@code rounds} times: each round a fresh
 * {@code URLClassLoader} over the app's fat jar (mail library and sender) whose parent is the system class loader,
 * one run of its main on a thread whose context class loader is that loader, then the loader closed and dropped.
 * With arguments after {@code rounds}, each round deploys one such webapp per argument side by side, in a loader
 * of its own, its main given that one argument (a webapp's own setting, where the server's JVM has one set of
 * system properties). At the end it waits until every loader is collected (or gives up after a while) and prints
 * what a test reads (counts over all webapps of all rounds):
 *
 * <pre>
 * redeploy: sent 100 of 100
 * redeploy: loaders collected 100 of 100
 * redeploy: metaspace after round 10 41234567 bytes, after round 100 41234999 bytes, first deployment 2345678 bytes
 * redeploy: classes loaded after round 10 9876, after round 100 9901, first deployment 4321
 * </pre>
 *
 * Usage: {@code RedeployHost <app.jar> <rounds> [<argument of webapp 1> <argument of webapp 2> …]}.
 */
public final class RedeployHost {
    /** The round whose Metaspace is the baseline: the agent, the JIT and the JDK's own caches have settled. */
    private static final int BASELINE_ROUND = 10;
    private static final long COLLECT_TIMEOUT_MILLIS = 30_000;
    private static final long SETTLE_TIMEOUT_MILLIS = 10_000;

    private RedeployHost() {
    }

    public static void main(String[] args) throws Exception {
        String jarPath = args[0];
        int rounds = Integer.parseInt(args[1]);
        List<String[]> webappArgs = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            webappArgs.add(new String[] {args[i]});
        }
        if (webappArgs.isEmpty()) {
            webappArgs.add(new String[0]);
        }
        int deployments = rounds * webappArgs.size();
        URL jar = Paths.get(jarPath).toUri().toURL();
        String mainClass;
        try (JarFile file = new JarFile(jarPath)) {
            mainClass = file.getManifest().getMainAttributes().getValue("Main-Class");
        }
        List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
        long beforeFirst = metaspaceAfterGc();
        long firstDeployment = 0;
        long baseline = 0;
        int beforeFirstClasses = loadedClasses();
        int firstDeploymentClasses = 0;
        int baselineClasses = 0;
        int sent = 0;
        for (int round = 1; round <= rounds; round++) {
            List<URLClassLoader> webapps = new ArrayList<>();
            for (int i = 0; i < webappArgs.size(); i++) {
                webapps.add(new URLClassLoader(new URL[] {jar}, ClassLoader.getSystemClassLoader()));
            }
            sent += deploy(webapps, mainClass, webappArgs);
            if (round == 1) {
                firstDeployment = metaspaceUsed() - beforeFirst;
                firstDeploymentClasses = loadedClasses() - beforeFirstClasses;
            }
            for (URLClassLoader webapp : webapps) {
                webapp.close();
                loaders.add(new WeakReference<>(webapp));
            }
            webapps = null;
            if (round == BASELINE_ROUND) {
                // the baseline without the ten deployments so far (the last ones can take a few collections to go)
                awaitCollected(loaders);
                baseline = metaspaceAfterGc();
                baselineClasses = loadedClasses();
            }
        }
        System.out.println("redeploy: sent " + sent + " of " + deployments);
        System.out.println("redeploy: loaders collected " + awaitCollected(loaders) + " of " + deployments);
        for (int i = 0; i < loaders.size(); i++) {
            if (loaders.get(i).get() != null) {
                System.out.println("redeploy: the loader of round " + (i / webappArgs.size() + 1) + ", webapp "
                        + (i % webappArgs.size() + 1) + " is still reachable");
            }
        }
        System.out.println("redeploy: metaspace after round " + BASELINE_ROUND + " " + baseline + " bytes, after round "
                + rounds + " " + metaspaceAfterGc() + " bytes, first deployment " + firstDeployment + " bytes");
        System.out.println("redeploy: classes loaded after round " + BASELINE_ROUND + " " + baselineClasses
                + ", after round " + rounds + " " + loadedClasses() + ", first deployment " + firstDeploymentClasses);
    }

    /**
     * Runs each webapp's main at once, each on a request thread of its own whose context class loader is the
     * webapp's; returns how many sent.
     */
    private static int deploy(List<URLClassLoader> webapps, String mainClass, List<String[]> args)
            throws InterruptedException {
        AtomicInteger sent = new AtomicInteger();
        List<Thread> requests = new ArrayList<>();
        for (int i = 0; i < webapps.size(); i++) {
            ClassLoader webapp = webapps.get(i);
            String[] mainArgs = args.get(i);
            Thread request = new Thread(() -> {
                try {
                    webapp.loadClass(mainClass).getMethod("main", String[].class).invoke(null, (Object) mainArgs);
                    sent.incrementAndGet();
                } catch (InvocationTargetException e) {
                    e.getCause().printStackTrace();
                } catch (ReflectiveOperationException e) {
                    e.printStackTrace();
                }
            }, "request-" + (i + 1));
            request.setContextClassLoader(webapp);
            requests.add(request);
        }
        requests.forEach(Thread::start);
        for (Thread request : requests) {
            request.join();
        }
        return sent.get();
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

    /**
     * Metaspace once collections no longer change the count of loaded classes (three readings alike, at most ten
     * seconds): a reading taken right after one collection can still hold classes that the next ones unload.
     */
    private static long metaspaceAfterGc() throws InterruptedException {
        long deadline = System.currentTimeMillis() + SETTLE_TIMEOUT_MILLIS;
        int alike = 0;
        int last = -1;
        while (alike < 3 && System.currentTimeMillis() < deadline) {
            System.gc();
            Thread.sleep(100);
            int loaded = loadedClasses();
            alike = loaded == last ? alike + 1 : 0;
            last = loaded;
        }
        return metaspaceUsed();
    }

    private static int loadedClasses() {
        return ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
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
