package dev.atoll.transport.iouring;

import dev.atoll.transport.spi.Deadline;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a Netty future from a blocking caller without pinning a virtual thread: Netty's own
 * {@code await} waits on a monitor, so the wait is bridged through a {@link CompletableFuture},
 * which parks.
 */
final class Futures {

    private Futures() {
    }

    /** Waits for the future; its failure is rethrown as the IOException it is, or wrapped. */
    static <T> T await(Future<T> future, Deadline deadline, String operation) throws IOException {
        CompletableFuture<T> done = new CompletableFuture<>();
        future.addListener(f -> {
            if (f.isSuccess()) {
                done.complete(future.getNow());
            } else {
                done.completeExceptionally(f.cause());
            }
        });
        try {
            return deadline.isInfinite() ? done.get() : done.get(deadline.remainingNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new SocketTimeoutException(operation + ": timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException(operation + ": interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(operation + ": " + cause, cause);
        }
    }
}
