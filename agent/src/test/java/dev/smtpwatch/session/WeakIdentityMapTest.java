package dev.smtpwatch.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WeakIdentityMapTest {
    private final WeakIdentityMap<Object, String> map = new WeakIdentityMap<>();

    /** A key whose equals/hashCode say every instance is the same, as a library's object might. */
    private static final class AllEqual {
        @Override
        public boolean equals(Object other) {
            return other instanceof AllEqual;
        }

        @Override
        public int hashCode() {
            return 1;
        }
    }

    @Test
    void keysAreComparedByIdentity() {
        Object a = new AllEqual();
        Object b = new AllEqual();
        map.put(a, "a");
        map.put(b, "b");

        assertEquals("a", map.get(a));
        assertEquals("b", map.get(b));
        assertEquals("a", map.removeAt(map.keyOf(a)), "a key made again for the same object");
        assertNull(map.get(a));
        assertEquals("b", map.get(b));
    }

    @Test
    void removesOnlyWhileTheKeyMapsToThatValue() {
        Object key = new Object();
        map.put(key, "first");
        map.put(key, "second");

        assertFalse(map.removeAt(map.keyOf(key), "first"));
        assertTrue(map.removeAt(map.keyOf(key), "second"));
        assertNull(map.get(key));
    }

    @Test
    void anEntryGoesWithItsCollectedKey() throws InterruptedException {
        Object kept = new Object();
        map.put(kept, "kept");
        for (int i = 0; i < 100; i++) {
            map.put(new Object(), "dropped " + i);
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (map.size() > 1 && System.currentTimeMillis() < deadline) {
            System.gc();
            Thread.sleep(10);
            map.removeAt(map.keyOf(new Object())); // every write expunges
        }

        assertEquals(1, map.size());
        assertEquals("kept", map.get(kept));
    }

    @Test
    void removeAllHandsEachValueToOneCallerWhileOthersWrite() throws Exception {
        List<Object> keys = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Object key = new Object();
            keys.add(key);
            map.put(key, "v" + i);
        }
        CountDownLatch start = new CountDownLatch(1);
        List<String> removedByOthers = Collections.synchronizedList(new ArrayList<>());
        List<Thread> removers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int offset = t;
            Thread remover = new Thread(() -> {
                await(start);
                for (int i = offset; i < keys.size(); i += 4) {
                    String value = map.removeAt(map.keyOf(keys.get(i)));
                    if (value != null) {
                        removedByOthers.add(value);
                    }
                }
            });
            remover.start();
            removers.add(remover);
        }
        start.countDown();
        List<String> removedAll = map.removeAll();
        for (Thread remover : removers) {
            remover.join();
        }

        Set<String> every = new HashSet<>(removedAll);
        every.addAll(removedByOthers);
        assertEquals(10_000, removedAll.size() + removedByOthers.size(), "a value was handed out twice");
        assertEquals(10_000, every.size());
    }

    @Test
    void readsAndWritesFromManyThreads() throws Exception {
        int threads = 8;
        AtomicInteger wrong = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                await(start);
                for (int i = 0; i < 20_000; i++) {
                    Object key = new Object();
                    String value = Thread.currentThread().getName() + i;
                    Reference<Object> weakKey = map.keyOf(key);
                    map.putAt(weakKey, value);
                    if (map.get(key) != value || !map.removeAt(weakKey, value) || map.get(key) != null) {
                        wrong.incrementAndGet();
                    }
                }
            }, "writer-" + t);
            thread.start();
            all.add(thread);
        }
        start.countDown();
        for (Thread thread : all) {
            thread.join();
        }

        assertEquals(0, wrong.get());
        assertEquals(0, map.size());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
