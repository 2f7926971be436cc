package dev.smtpwatch.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.otel.bridge.Telemetry;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Each webapp's copy of the OpenTelemetry API is stood in for by {@link ApiCopy}, defined again by a loader of its
 * own (parent: bootstrap), so each loader's {@code ApiCopy} is another class, as each webapp's
 * {@code GlobalOpenTelemetry} is.
 */
class BridgesTest {
    private final List<String> created = new CopyOnWriteArrayList<>();
    /** A bridge that refers to its API's class, as the real one does through its class loader. */
    private final Bridges bridges = new Bridges(globalClass -> {
        created.add(globalClass.getName() + "@" + Thread.currentThread().getName());
        return (Telemetry) Proxy.newProxyInstance(Telemetry.class.getClassLoader(), new Class<?>[] {Telemetry.class},
            (proxy, method, args) -> method.getName().equals("toString") ? globalClass.getClassLoader().toString()
                : null);
    });

    /** Stands in for one copy's {@code GlobalOpenTelemetry}: no dependencies, so a bare loader can define it. */
    public static final class ApiCopy {
    }

    private static URLClassLoader webapp() {
        URL testClasses = BridgesTest.class.getProtectionDomain().getCodeSource().getLocation();
        return new URLClassLoader(new URL[] {testClasses}, null);
    }

    @Test
    void eachApiCopyHasItsOwnBridgeMadeOnce() throws Exception {
        try (URLClassLoader first = webapp(); URLClassLoader second = webapp()) {
            Class<?> firstApi = first.loadClass(ApiCopy.class.getName());
            Class<?> secondApi = second.loadClass(ApiCopy.class.getName());

            Telemetry firstBridge = bridges.telemetry(firstApi);
            Telemetry secondBridge = bridges.telemetry(secondApi);

            assertNotSame(firstBridge, secondBridge);
            assertEquals(first.toString(), firstBridge.toString());
            assertEquals(second.toString(), secondBridge.toString());
            assertSame(firstBridge, bridges.telemetry(firstApi), "the second session of a webapp reuses its bridge");
            assertEquals(2, created.size());
        }
    }

    @Test
    void anEarlyStartMakesTheBridgeOnAThreadOfOursOnce() throws Exception {
        try (URLClassLoader loader = webapp()) {
            Class<?> api = loader.loadClass(ApiCopy.class.getName());
            bridges.startEarly(api);
            bridges.startEarly(api);
            Telemetry bridge = bridges.telemetry(api);

            assertEquals(loader.toString(), bridge.toString());
            assertEquals(List.of(ApiCopy.class.getName() + "@smtpwatch-otel-init"), created);
        }
    }

    @Test
    void aFailedBridgeFailsEachTimeAndIsToBeSaidOnce() throws Exception {
        Bridges failing = new Bridges(globalClass -> {
            throw new IOException("no bridge for " + globalClass.getSimpleName());
        });
        try (URLClassLoader loader = webapp()) {
            Class<?> api = loader.loadClass(ApiCopy.class.getName());
            IOException first = assertThrows(IOException.class, () -> failing.telemetry(api));
            assertEquals("no bridge for ApiCopy", first.getMessage());
            assertThrows(IOException.class, () -> failing.telemetry(api));
            assertTrue(failing.firstFailure(api));
            assertFalse(failing.firstFailure(api));
        }
    }

    @Test
    void anEarlyStartThatHangsIsWaitedForOnceThenSkippedUntilItIsDone() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Telemetry made = new OtelExporterTest.FakeTelemetry();
        Bridges slow = new Bridges(globalClass -> {
            release.await();
            return made;
        }, 100);
        try (URLClassLoader loader = webapp()) {
            Class<?> api = loader.loadClass(ApiCopy.class.getName());
            slow.startEarly(api);
            assertThrows(TimeoutException.class, () -> slow.telemetry(api), "waited for");
            TimeoutException skipped = assertThrows(TimeoutException.class, () -> slow.telemetry(api));
            assertEquals("the OpenTelemetry bridge is still being set up", skipped.getMessage(), "not waited for");
            release.countDown();
            Telemetry bridge = null;
            for (int i = 0; i < 500 && bridge == null; i++) {
                try {
                    bridge = slow.telemetry(api);
                } catch (TimeoutException stillRunning) {
                    Thread.sleep(10);
                }
            }
            assertSame(made, bridge, "used once it is done");
        }
    }

    /** The point of keeping bridges in the API's class: an undeployed webapp's loader goes, bridge and all. */
    @Test
    void aBridgeKeepsNoUndeployedLoaderAlive() throws Exception {
        WeakReference<ClassLoader> undeployed = deployAndUndeploy();
        for (int i = 0; i < 100 && undeployed.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(undeployed.get(), "the webapp's loader is still reachable while the bridges live");
        assertEquals(1, created.size());
    }

    private WeakReference<ClassLoader> deployAndUndeploy() throws Exception {
        URLClassLoader loader = webapp();
        Class<?> api = loader.loadClass(ApiCopy.class.getName());
        bridges.startEarly(api);
        assertEquals(loader.toString(), bridges.telemetry(api).toString());
        loader.close();
        return new WeakReference<>(loader);
    }
}
