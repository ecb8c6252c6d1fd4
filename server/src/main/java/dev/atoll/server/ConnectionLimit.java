package dev.atoll.server;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/** The places under a server's connection limit; the limit can change while places are held. */
final class ConnectionLimit {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int max;
    private int held;

    ConnectionLimit(int max) {
        this.max = max;
    }

    /**
     * Takes a place, waiting while none is free.
     *
     * @param wanted checked whenever the wait wakes; the wait ends without a place once it is false
     * @return whether a place was taken
     */
    boolean acquire(BooleanSupplier wanted) {
        lock.lock();
        try {
            while (held >= max) {
                if (!wanted.getAsBoolean()) {
                    return false;
                }
                changed.awaitUninterruptibly();
            }
            if (!wanted.getAsBoolean()) {
                return false;
            }
            held++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a place, waiting up to {@code wait} for one.
     *
     * @return whether a place was taken
     */
    boolean tryAcquire(Duration wait) {
        long nanos = wait.toNanos();
        lock.lock();
        try {
            while (held >= max) {
                if (nanos <= 0) {
                    return false;
                }
                try {
                    nanos = changed.awaitNanos(nanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            held++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    void release() {
        lock.lock();
        try {
            held--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter so that it checks whether it is still wanted. */
    void wakeAll() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void max(int newMax) {
        lock.lock();
        try {
            max = newMax;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int max() {
        lock.lock();
        try {
            return max;
        } finally {
            lock.unlock();
        }
    }

    int held() {
        lock.lock();
        try {
            return held;
        } finally {
            lock.unlock();
        }
    }
}
