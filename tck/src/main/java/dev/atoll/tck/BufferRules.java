package dev.atoll.tck;

import dev.atoll.transport.Connection;
import dev.atoll.transport.EndOfStreamException;
import dev.atoll.transport.LimitExceededException;
import java.lang.management.ManagementFactory;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Receiving into the caller's buffer, handing bytes back, reading up to a delimiter, and the
 * memory a receive takes whatever length it is asked for.
 */
final class BufferRules {

    private BufferRules() {
    }

    static RuleGroup group() {
        return new RuleGroup("buffers", List.of(
                Rule.of("RECV-6", "recv into the caller's buffer fills at most its room, keeps the rest, and leaves it "
                        + "unchanged on a timeout", BufferRules::recvInto),
                Rule.of("RECV-7", "bytes handed back with unrecv come first, last given first, before later bytes",
                        BufferRules::unrecv),
                Rule.of("RECV-8", "an exact receive of 100 MB with 3 bytes sent takes memory for what arrived, not for "
                        + "the length", BufferRules::boundedExactReceive),
                Rule.of("RECV-9", "recvUntil returns up to the delimiter, keeps what follows, and fails past its limit "
                        + "losing nothing", BufferRules::recvUntil)));
    }

    private static void recvInto(TckContext tck) throws Exception {
        tck.inEveryTopology(pair -> {
            Connection subject = pair.subject();
            ByteBuffer dst = ByteBuffer.allocate(64);
            dst.position(3);
            tck.requireThrows(SocketTimeoutException.class, "recv into a buffer with nothing sent",
                    () -> subject.recv(dst, Duration.ofMillis(100)));
            tck.require(dst.position() == 3 && dst.limit() == 64, "a timed-out recv changed the buffer's position or limit");
            byte[] data = tck.randomBytes(300_000);
            var writer = tck.background("peer writes", () -> {
                pair.peer().write(data);
                return null;
            });
            byte[] got = new byte[data.length];
            int filled = 0;
            ByteBuffer direct = ByteBuffer.allocateDirect(1000);
            ByteBuffer heap = ByteBuffer.allocate(4096);
            while (filled < data.length) {
                ByteBuffer into = tck.random().nextBoolean() ? direct : heap;
                into.clear().limit(1 + tck.random().nextInt(into.capacity()));
                int room = into.remaining();
                int n = subject.recv(into, TckContext.IO_TIMEOUT);
                tck.require(n >= 1 && n <= room, "recv into a buffer with room for " + room + " returned " + n);
                tck.require(into.position() == n, "recv returned " + n + " but moved the buffer's position to " + into.position());
                into.flip().get(got, filled, n);
                filled += n;
            }
            writer.join();
            tck.requireBytes(data, got, "bytes received into buffers");
        });
    }

    private static void unrecv(TckContext tck) throws Exception {
        tck.inEveryTopology(pair -> {
            Connection subject = pair.subject();
            byte[] data = tck.randomBytes(100);
            pair.peer().write(Arrays.copyOf(data, 10));
            ByteBuffer first = subject.recv(10, TckContext.IO_TIMEOUT);
            first.position(6);
            subject.unrecv(first);                                          // bytes 6..9 back
            subject.unrecv(ByteBuffer.wrap(data, 2, 4));                    // bytes 2..5 in front of them
            pair.peer().write(Arrays.copyOfRange(data, 10, 100));
            ByteBuffer got = subject.recv(98, TckContext.IO_TIMEOUT);
            byte[] bytes = new byte[98];
            got.get(bytes);
            tck.requireBytes(Arrays.copyOfRange(data, 2, 100), bytes, "what followed two unrecv calls");
            subject.unrecv(ByteBuffer.wrap(data, 0, 3));
            ByteBuffer into = ByteBuffer.allocate(2);
            tck.require(subject.recv(into, Duration.ZERO) == 2 && into.get(0) == data[0] && into.get(1) == data[1],
                    "a recv into a 2-byte buffer after unrecv did not return the first two bytes handed back");
            ByteBuffer last = subject.recv(0, Duration.ZERO);
            tck.require(last.remaining() == 1 && last.get() == data[2], "the last byte handed back did not come next");
        });
    }

    private static void boundedExactReceive(TckContext tck) throws Exception {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported()) {
            throw new RuleSkipped("this JVM cannot count the bytes a thread allocates");
        }
        threads.setThreadAllocatedMemoryEnabled(true);
        tck.inEveryTopology(pair -> {
            Connection subject = pair.subject();
            CompletableFuture<long[]> result = new CompletableFuture<>();
            Thread receiver = Thread.ofPlatform().name("tck-RECV-8-receiver").start(() -> {
                long before = threads.getCurrentThreadAllocatedBytes();
                try {
                    subject.recv(100_000_000, TckContext.IO_TIMEOUT);
                    result.complete(new long[] {-1, 0});
                } catch (EndOfStreamException end) {
                    result.complete(new long[] {end.partial().remaining(), threads.getCurrentThreadAllocatedBytes() - before});
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
            Thread.sleep(100);
            pair.peer().write(new byte[] {1, 2, 3});
            Thread.sleep(100);
            pair.peer().shutdownOutput();
            long[] got;
            try {
                got = result.get(TckContext.SHORT_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw tck.violation("recv(100_000_000) with 3 bytes sent and then the end: " + TckContext.describe(e.getCause()),
                        e.getCause());
            } finally {
                receiver.join(TckContext.SHORT_LIMIT.toMillis());
            }
            tck.require(got[0] == 3, "recv(100_000_000) ended with " + got[0] + " partial bytes, not the 3 sent");
            tck.require(got[1] < 4 << 20, "recv(100_000_000) with 3 bytes sent allocated " + got[1] + " bytes on its thread");
        });
    }

    private static void recvUntil(TckContext tck) throws Exception {
        tck.inEveryTopology(pair -> {
            Connection subject = pair.subject();
            byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
            String text = "HELO one\r\nMAIL two\r\n" + "x".repeat(5000) + "\r\nrest";
            byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            var writer = tck.background("peer writes lines in small pieces", () -> {
                for (int at = 0; at < bytes.length; at += 7) {
                    pair.peer().write(Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 7)));
                }
                return null;
            });
            requireLine(tck, subject.recvUntil(crlf, 100, TckContext.IO_TIMEOUT), "HELO one\r\n");
            requireLine(tck, subject.recvUntil(crlf, 100, TckContext.IO_TIMEOUT), "MAIL two\r\n");
            writer.join();
            tck.requireThrows(LimitExceededException.class, "a 5002-byte line with a limit of 1000",
                    () -> subject.recvUntil(crlf, 1000, TckContext.IO_TIMEOUT));
            ByteBuffer kept = subject.recv(5002, TckContext.IO_TIMEOUT);
            requireLine(tck, kept, "x".repeat(5000) + "\r\n");
            tck.requireThrows(SocketTimeoutException.class, "recvUntil with no delimiter coming",
                    () -> subject.recvUntil(crlf, 100, Duration.ofMillis(200)));
            requireLine(tck, subject.recv(4, TckContext.IO_TIMEOUT), "rest");
        });
    }

    private static void requireLine(TckContext tck, ByteBuffer got, String expected) {
        String line = StandardCharsets.US_ASCII.decode(got).toString();
        tck.require(line.equals(expected), "expected " + abbreviate(expected) + ", got " + abbreviate(line));
    }

    private static String abbreviate(String s) {
        String shown = s.length() > 40 ? s.substring(0, 40) + "... (" + s.length() + " chars)" : s;
        return "'" + shown.replace("\r", "\\r").replace("\n", "\\n") + "'";
    }
}
