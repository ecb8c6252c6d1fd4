package dev.atoll.tck;

import dev.atoll.transport.Connection;
import dev.atoll.transport.ConnectionClosedException;
import dev.atoll.transport.Transport;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Interrupting a thread in an operation abandons the connection, on every backend alike. */
final class InterruptRules {

    private InterruptRules() {
    }

    static RuleGroup group() {
        return new RuleGroup("interrupts", List.of(
                Rule.of("INTR-1", "an interrupt of a thread blocked in recv or send, or calling one interrupted, closes the "
                        + "connection: InterruptedIOException, interrupt status kept, the peer sees the end",
                        InterruptRules::interruptCloses)));
    }

    private static void interruptCloses(TckContext tck) throws Exception {
        tck.inEveryTopology(pair -> requireInterruptCloses(tck, pair, "recv",
                () -> pair.subject().recv(0, Transport.INFINITE), true));
        tck.inEveryTopology(pair -> requireInterruptCloses(tck, pair, "send",
                () -> pair.subject().send(Transport.INFINITE, ByteBuffer.wrap(tck.randomBytes(SendRules.MORE_THAN_BUFFERS))),
                true));
        tck.inEveryTopology(pair -> requireInterruptCloses(tck, pair, "recv called with the interrupt status set",
                () -> pair.subject().recv(0, Duration.ofSeconds(5)), false));
    }

    private static void requireInterruptCloses(TckContext tck, Pair pair, String what, TckContext.Action operation,
                                               boolean interruptWhileBlocked) throws Exception {
        Connection subject = pair.subject();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread caller = Thread.ofVirtual().name("tck-INTR-1-" + what).unstarted(() -> {
            if (!interruptWhileBlocked) {
                Thread.currentThread().interrupt();
            }
            try {
                operation.run();
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t.getClass() == InterruptedIOException.class && !Thread.currentThread().isInterrupted()
                        ? new AssertionError("the interrupt status was cleared", t) : t);
            }
        });
        caller.start();
        if (interruptWhileBlocked) {
            Thread.sleep(300);
            caller.interrupt();
        }
        Throwable thrown;
        try {
            thrown = outcome.get(TckContext.SHORT_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            subject.close();
            throw tck.violation(what + ": still blocked " + TckContext.SHORT_LIMIT.toSeconds() + " s after the interrupt", null);
        }
        tck.require(thrown != null, what + ": returned normally after the interrupt");
        tck.require(thrown instanceof InterruptedIOException && !(thrown instanceof SocketTimeoutException),
                what + ": expected InterruptedIOException, got " + TckContext.describe(thrown));
        tck.within(TckContext.SHORT_LIMIT, what + ": the peer reading to the end after the interrupt", () -> {
            try {
                pair.peer().readToEnd();
            } catch (IOException reset) {
                // bytes still queued may end the connection with a reset; what counts is that it ends
            }
            return null;
        });
        tck.requireThrows(ConnectionClosedException.class, what + ": a recv after the interrupt",
                () -> subject.recv(0, Duration.ofMillis(100)));
    }
}
