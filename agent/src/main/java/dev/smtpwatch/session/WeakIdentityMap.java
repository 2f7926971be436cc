package dev.smtpwatch.session;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent map keyed by object identity that holds its keys weakly: the recorder's open sessions, keyed by the
 * library's transport objects, and the names read from a mail session's properties, keyed by the properties.
 * Every command of every connection looks its session up here, so lookups take no lock ({@link ConcurrentHashMap});
 * a transport the app dropped without closing is collected and its entry expunged at the next write, from a
 * {@link ReferenceQueue}. The shape of Byte Buddy's and OpenTelemetry's
 * {@code WeakConcurrentMap}, without their background cleaner thread. Keys' own {@code equals}/{@code hashCode}
 * are never called (a library's transport may override them).
 */
public final class WeakIdentityMap<K, V> {
    private final ConcurrentHashMap<Object, V> entries = new ConcurrentHashMap<Object, V>();
    private final ReferenceQueue<K> collected = new ReferenceQueue<K>();

    public V get(K key) {
        return entries.get(new Lookup(key));
    }

    /** @return the value {@code key} had, or null */
    public V put(K key, V value) {
        expunge();
        return entries.put(new WeakKey<K>(key, collected), value);
    }

    /**
     * The weak key of {@code referent}, for {@link #putAt} and {@link #removeAt}: its identity hash is taken once,
     * here. The recorder's keys are transports, which the library holds locked whenever a hook runs, and the
     * identity hash of a locked object is a call into the VM.
     */
    Reference<K> keyOf(K referent) {
        return new WeakKey<K>(referent, collected);
    }

    /** @param key from {@link #keyOf}; @return the value an equal key had, or null */
    V putAt(Reference<K> key, V value) {
        expunge();
        return entries.put(key, value);
    }

    /** @param key from {@link #keyOf}; @return the value an equal key had, or null */
    V removeAt(Reference<K> key) {
        expunge();
        return entries.remove(key);
    }

    /** Removes the entry of {@code key} only while it maps to {@code value}; true when this call removed it. */
    boolean removeAt(Reference<K> key, V value) {
        expunge();
        return entries.remove(key, value);
    }

    /** A snapshot of the values. */
    List<V> values() {
        return new ArrayList<V>(entries.values());
    }

    /** Removes every entry and returns the values removed, each exactly once even while others write. */
    List<V> removeAll() {
        List<V> removed = new ArrayList<V>();
        for (Iterator<Map.Entry<Object, V>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Object, V> entry = it.next();
            if (entries.remove(entry.getKey(), entry.getValue())) {
                removed.add(entry.getValue());
            }
        }
        return removed;
    }

    /** Entries, including those whose key was collected and not yet expunged. */
    int size() {
        return entries.size();
    }

    private void expunge() {
        for (Object gone = collected.poll(); gone != null; gone = collected.poll()) {
            entries.remove(gone);
        }
    }

    /** Equal to a {@link WeakKey} or {@link Lookup} of the same referent; the hash of the referent's identity. */
    private static boolean sameReferent(Object key, Object other) {
        Object a = key instanceof WeakKey ? ((WeakKey<?>) key).get() : ((Lookup) key).referent;
        Object b = other instanceof WeakKey ? ((WeakKey<?>) other).get()
            : other instanceof Lookup ? ((Lookup) other).referent : null;
        return a != null && a == b;
    }

    private static final class WeakKey<K> extends WeakReference<K> {
        private final int hash;

        WeakKey(K referent, ReferenceQueue<K> queue) {
            super(referent, queue);
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            // a collected key is equal only to itself, so that the expunge finds it
            return other == this || sameReferent(this, other);
        }
    }

    /** A short-lived strong key for lookups: no WeakReference is allocated on the read path. */
    private static final class Lookup {
        final Object referent;
        private final int hash;

        Lookup(Object referent) {
            this.referent = referent;
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return other == this || sameReferent(this, other);
        }
    }
}
