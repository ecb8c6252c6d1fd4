package dev.atoll.transport.jsse;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The TLS connections' shared plaintext and ciphertext buffers, so that a connection holds a
 * buffer only while it uses one: an idle TLS connection then costs its engine's state, not the
 * engine's 16 KiB-plus buffer sizes several times over. Heap buffers, one free list per
 * capacity, each bounded; a buffer taken when the list is empty is allocated, and a buffer
 * given back to a full list is left to the collector.
 */
final class BufferPool {

    /** The most free buffers kept of one capacity. */
    static final int MAX_FREE = 8 * Runtime.getRuntime().availableProcessors();

    private static final Map<Integer, Free> FREE = new ConcurrentHashMap<>();

    private BufferPool() {
    }

    private static final class Free {
        final Queue<ByteBuffer> buffers = new ConcurrentLinkedQueue<>();
        final AtomicInteger count = new AtomicInteger();
    }

    /**
     * A cleared buffer of exactly this capacity.
     *
     * @param capacity the capacity
     * @return the buffer, position 0, limit = capacity
     */
    static ByteBuffer take(int capacity) {
        Free free = FREE.get(capacity);
        ByteBuffer b = free == null ? null : free.buffers.poll();
        if (b == null) {
            return ByteBuffer.allocate(capacity);
        }
        free.count.decrementAndGet();
        return b.clear();
    }

    /**
     * Gives a buffer back; its owner must not touch it again.
     *
     * @param buffer a buffer from {@link #take}, or any heap buffer of a useful capacity
     */
    static void give(ByteBuffer buffer) {
        if (buffer.capacity() == 0 || buffer.isReadOnly() || !buffer.hasArray()) {
            return;
        }
        Free free = FREE.computeIfAbsent(buffer.capacity(), c -> new Free());
        if (free.count.incrementAndGet() <= MAX_FREE) {
            free.buffers.add(buffer);
        } else {
            free.count.decrementAndGet();
        }
    }
}
