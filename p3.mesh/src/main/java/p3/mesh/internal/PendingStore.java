package p3.mesh.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;

import p3.transport.Frame;
import p3.transport.TrafficClass;

/**
 * A peer's pending store (report, Listings 5 to 7): the FT messages it holds until the root's
 * acknowledgement comes back down, by stream (origin and target) and class, in sequence order so
 * that an acknowledgement removes a range at once. It lives in the peer, not in a strategy, so a
 * swap of strategies loses nothing.
 *
 * <p>An entry is held either by this peer (it sends the message up, and again after a rebind or a
 * timeout) or by a cell-mate (a replica this peer keeps in case the mate fails). Any thread.
 *
 * <p>Bounded in messages and in bytes: a client that stops acknowledging (gone, or cut off) must not
 * fill a peer's heap. A store full of a neighbour's 4 KiB video frames holds far fewer of them than
 * of 418 B audio frames, so the bytes are what bound it; the count bounds the object overhead of tiny
 * messages. A message costs its payload plus {@link #ENTRY_OVERHEAD}.
 */
final class PendingStore {

    /** A stream of FT messages: from an origin (sensor) to a target (client). */
    record Stream(String origin, String target) {
    }

    /** One held message. */
    static final class Entry {
        final Frame frame;
        /** The neighbour it came from, where the acknowledgement goes back ("" when it began here). */
        final String from;
        final long storedNanos;
        /** The peer that sends it up: this peer, or the cell-mate of which this is a replica. */
        volatile String holder;
        /** When this peer last sent it up. */
        volatile long sentNanos;
        /** Timeouts so far: each doubles the wait for the next, so that a stalled path is not flooded. */
        volatile int timeouts;
        volatile boolean removed;

        Entry(Frame frame, String from, String holder, long nowNanos) {
            this.frame = frame;
            this.from = from;
            this.holder = holder;
            this.storedNanos = nowNanos;
            this.sentNanos = nowNanos;
        }
    }

    private static final int CLASSES = TrafficClass.values().length;
    /**
     * What holding a message costs beside its payload, about: the entry, the frame and its array
     * header, the skip list's node and index, the boxed sequence number.
     */
    static final int ENTRY_OVERHEAD = 200;

    private final int capacity;
    private final long maxBytes;
    private final Map<Stream, AtomicReferenceArray<ConcurrentSkipListMap<Long, Entry>>> streams = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();

    /**
     * @param capacity at most this many messages
     * @param maxBytes at most this many bytes of messages, {@link #ENTRY_OVERHEAD} counted for each
     */
    PendingStore(int capacity, long maxBytes) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
    }

    static long cost(Frame f) {
        return f.payloadLength() + (long) ENTRY_OVERHEAD;
    }

    /**
     * Holds a message. One already held (a replica, or a message sent again) keeps its entry, and
     * takes this holder unless this peer holds it already.
     *
     * @return the entry, or {@code null} when the store is full
     */
    Entry hold(Frame f, String from, String holder, String self, long nowNanos) {
        ConcurrentSkipListMap<Long, Entry> byClass = classMap(new Stream(f.sourcePeer(), f.targetPeer()),
                f.trafficClass());
        Entry existing = byClass.get(f.sequence());
        if (existing != null) {
            if (!self.equals(existing.holder)) {
                existing.holder = holder;
            }
            return existing;
        }
        long cost = cost(f);
        if (!reserve(cost)) {
            return null;
        }
        Entry e = new Entry(f, from, holder, nowNanos);
        Entry raced = byClass.putIfAbsent(f.sequence(), e);
        if (raced != null) {
            release(cost);
            return raced;
        }
        return e;
    }

    /** Removes the acknowledged range {@code [lo, hi]} of a stream's class. @return what was removed */
    List<Entry> remove(Stream stream, TrafficClass cls, long lo, long hi) {
        AtomicReferenceArray<ConcurrentSkipListMap<Long, Entry>> byClass = streams.get(stream);
        ConcurrentSkipListMap<Long, Entry> m = byClass == null ? null : byClass.get(cls.ordinal());
        if (m == null || lo > hi) {
            return List.of();
        }
        Map<Long, Entry> range = m.subMap(lo, true, hi, true);
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<Long, Entry> held : range.entrySet()) {
            if (range.remove(held.getKey(), held.getValue())) {
                held.getValue().removed = true;
                out.add(held.getValue());
            }
        }
        for (Entry e : out) {
            release(cost(e.frame));
        }
        return out;
    }

    /** A stream's entries of a class below a sequence number, lowest first; a snapshot. */
    List<Entry> below(Stream stream, TrafficClass cls, long sequence) {
        AtomicReferenceArray<ConcurrentSkipListMap<Long, Entry>> byClass = streams.get(stream);
        ConcurrentSkipListMap<Long, Entry> m = byClass == null ? null : byClass.get(cls.ordinal());
        return m == null ? List.of() : new ArrayList<>(m.headMap(sequence, false).values());
    }

    /** The entries that match, oldest stream order; a snapshot. */
    List<Entry> select(Predicate<Entry> which) {
        List<Entry> out = new ArrayList<>();
        for (AtomicReferenceArray<ConcurrentSkipListMap<Long, Entry>> byClass : streams.values()) {
            for (int i = 0; i < CLASSES; i++) {
                ConcurrentSkipListMap<Long, Entry> m = byClass.get(i);
                if (m == null) {
                    continue;
                }
                for (Entry e : m.values()) {
                    if (which.test(e)) {
                        out.add(e);
                    }
                }
            }
        }
        return out;
    }

    /** Drops one entry (a replica that outlived any use). */
    boolean drop(Entry e) {
        AtomicReferenceArray<ConcurrentSkipListMap<Long, Entry>> byClass = streams.get(
                new Stream(e.frame.sourcePeer(), e.frame.targetPeer()));
        ConcurrentSkipListMap<Long, Entry> m = byClass == null ? null : byClass.get(e.frame.trafficClass().ordinal());
        if (m != null && m.remove(e.frame.sequence(), e)) {
            e.removed = true;
            release(cost(e.frame));
            return true;
        }
        return false;
    }

    /**
     * The entry stored first among each stream's and class's lowest, or null: what a full sensor
     * memory gives up. Cheap (one look per stream and class), which a full store's every new message
     * needs.
     */
    Entry oldest() {
        Entry oldest = null;
        for (AtomicReferenceArray<ConcurrentSkipListMap<Long, Entry>> byClass : streams.values()) {
            for (int i = 0; i < CLASSES; i++) {
                ConcurrentSkipListMap<Long, Entry> m = byClass.get(i);
                Map.Entry<Long, Entry> first = m == null ? null : m.firstEntry();
                if (first != null && (oldest == null || first.getValue().storedNanos < oldest.storedNanos)) {
                    oldest = first.getValue();
                }
            }
        }
        return oldest;
    }

    int size() {
        return size.get();
    }

    /** What the held messages cost, in bytes, {@link #ENTRY_OVERHEAD} counted for each. */
    long bytes() {
        return bytes.get();
    }

    private boolean reserve(long cost) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        if (bytes.addAndGet(cost) > maxBytes) {
            bytes.addAndGet(-cost);
            size.decrementAndGet();
            return false;
        }
        return true;
    }

    private void release(long cost) {
        size.decrementAndGet();
        bytes.addAndGet(-cost);
    }

    private ConcurrentSkipListMap<Long, Entry> classMap(Stream stream, TrafficClass cls) {
        AtomicReferenceArray<ConcurrentSkipListMap<Long, Entry>> byClass = streams.computeIfAbsent(stream,
                k -> new AtomicReferenceArray<>(CLASSES));
        ConcurrentSkipListMap<Long, Entry> m = byClass.get(cls.ordinal());
        if (m == null) {
            byClass.compareAndSet(cls.ordinal(), null, new ConcurrentSkipListMap<>());
            m = byClass.get(cls.ordinal());
        }
        return m;
    }
}
