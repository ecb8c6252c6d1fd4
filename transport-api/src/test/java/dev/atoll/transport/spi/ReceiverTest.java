package dev.atoll.transport.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atoll.transport.EndOfStreamException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

class ReceiverTest {

    /** A source fed by a script: byte arrays to hand out, "timeout" and "end" marks. */
    private static final class ScriptedSource implements Receiver.Source {
        final Deque<Object> script = new ArrayDeque<>();
        int largestAsk;

        ScriptedSource then(Object step) {
            script.add(step);
            return this;
        }

        @Override
        public int read(byte[] dst, int offset, int length, Deadline deadline) throws SocketTimeoutException {
            largestAsk = Math.max(largestAsk, length);
            Object step = script.poll();
            if (step == null || step.equals("timeout")) {
                throw new SocketTimeoutException("scripted timeout");
            }
            if (step.equals("end")) {
                return -1;
            }
            byte[] bytes = (byte[]) step;
            int n = Math.min(length, bytes.length);
            System.arraycopy(bytes, 0, dst, offset, n);
            if (n < bytes.length) {
                byte[] rest = new byte[bytes.length - n];
                System.arraycopy(bytes, n, rest, 0, rest.length);
                script.addFirst(rest);
            }
            return n;
        }

        @Override
        public int available() {
            return script.peek() instanceof byte[] head ? head.length : 0;
        }

        @Override
        public String operation() {
            return "recv from peer";
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private final Receiver receiver = new Receiver();

    @Test
    void anExactReceiveGathersPiecesAndTakesNoMore() throws Exception {
        ScriptedSource source = new ScriptedSource().then(new byte[] {1, 2}).then(new byte[] {3, 4, 5, 6});
        assertArrayEquals(new byte[] {1, 2, 3, 4}, bytes(receiver.receive(source, 4, Duration.ofSeconds(1))));
        assertArrayEquals(new byte[] {5, 6}, bytes(receiver.receive(source, 0, Duration.ofSeconds(1))));
    }

    @Test
    void aTimedOutExactReceiveKeepsWhatItTookForTheNextReceive() throws Exception {
        ScriptedSource source = new ScriptedSource().then(new byte[] {1, 2, 3}).then("timeout").then(new byte[] {4, 5, 6});
        assertThrows(SocketTimeoutException.class, () -> receiver.receive(source, 6, Duration.ofSeconds(1)));
        assertArrayEquals(new byte[] {1, 2}, bytes(receiver.receive(source, 2, Duration.ofSeconds(1))));
        assertArrayEquals(new byte[] {3}, bytes(receiver.receive(source, 0, Duration.ofSeconds(1))));
        assertArrayEquals(new byte[] {4, 5, 6}, bytes(receiver.receive(source, 3, Duration.ofSeconds(1))));
    }

    @Test
    void twoTimeoutsInARowLoseNothing() throws Exception {
        ScriptedSource source = new ScriptedSource().then(new byte[] {1}).then("timeout").then(new byte[] {2}).then("timeout")
                .then(new byte[] {3});
        assertThrows(SocketTimeoutException.class, () -> receiver.receive(source, 3, Duration.ofSeconds(1)));
        assertThrows(SocketTimeoutException.class, () -> receiver.receive(source, 3, Duration.ofSeconds(1)));
        assertArrayEquals(new byte[] {1, 2, 3}, bytes(receiver.receive(source, 3, Duration.ofSeconds(1))));
    }

    @Test
    void anEndOfStreamCarriesThePartialBytes() {
        ScriptedSource source = new ScriptedSource().then(new byte[] {9, 8}).then("end");
        EndOfStreamException e = assertThrows(EndOfStreamException.class,
                () -> receiver.receive(source, 5, Duration.ofSeconds(1)));
        assertArrayEquals(new byte[] {9, 8}, bytes(e.partial()));
        assertEquals("recv from peer: end of stream after 2 of 5 bytes", e.getMessage());
    }

    @Test
    void aReceiveOfWhatIsAvailableIsBoundedByTheChunkSize() throws Exception {
        receiver.chunkSize(16);
        ScriptedSource source = new ScriptedSource().then(new byte[100]);
        assertEquals(16, receiver.receive(source, 0, Duration.ofSeconds(1)).remaining());
        assertEquals(16, source.largestAsk);
    }

    @Test
    void aSmallMessageTakesOneSmallReadAndComesBackExactlySized() throws Exception {
        ScriptedSource source = new ScriptedSource().then(new byte[] {7, 7, 7});
        ByteBuffer got = receiver.receive(source, 0, Duration.ofSeconds(1));
        assertEquals(3, got.capacity());
        assertArrayEquals(new byte[] {7, 7, 7}, bytes(got));
        assertEquals(Receiver.FIRST_READ, source.largestAsk);
    }

    @Test
    void aLargeMessageComesBackWholeInOneReceiveUpToTheChunkSize() throws Exception {
        byte[] message = new byte[3000];
        new java.util.Random(3).nextBytes(message);
        ScriptedSource source = new ScriptedSource().then(message);
        assertArrayEquals(message, bytes(receiver.receive(source, 0, Duration.ofSeconds(1))));

        receiver.chunkSize(1000);
        source.then(message);
        assertArrayEquals(java.util.Arrays.copyOf(message, 1000), bytes(receiver.receive(source, 0, Duration.ofSeconds(1))));
        assertArrayEquals(java.util.Arrays.copyOfRange(message, 1000, 2000),
                bytes(receiver.receive(source, 0, Duration.ofSeconds(1))));
    }

    @Test
    void countsBytesAndCallsThatReturnedBytes() throws Exception {
        ScriptedSource source = new ScriptedSource().then(new byte[10]).then("timeout").then(new byte[3]);
        receiver.receive(source, 0, Duration.ofSeconds(1));
        assertThrows(SocketTimeoutException.class, () -> receiver.receive(source, 0, Duration.ofSeconds(1)));
        receiver.receive(source, 3, Duration.ofSeconds(1));
        assertEquals(13, receiver.counter().octets());
        assertEquals(2, receiver.counter().calls());
        assertEquals(10, receiver.counter().max());
    }

    @Test
    void refusesANegativeLength() {
        assertThrows(IllegalArgumentException.class, () -> receiver.receive(new ScriptedSource(), -1, Duration.ZERO));
    }
}
