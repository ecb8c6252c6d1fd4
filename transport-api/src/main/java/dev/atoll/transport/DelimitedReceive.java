package dev.atoll.transport;

import dev.atoll.transport.spi.Deadline;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

/**
 * {@link Connection#recvUntil}: receives what is available until the delimiter shows, and hands
 * what follows it back to the transport ({@link Transport#unrecv}); on a timeout or a passed
 * limit it hands back everything it read, so nothing is lost.
 */
final class DelimitedReceive {

    private DelimitedReceive() {
    }

    static <S> ByteBuffer receive(Transport<S, ?> transport, S handle, byte[] delimiter, int maxLength,
                                  Duration timeout, String operation) throws IOException {
        Deadline deadline = Deadline.after(timeout);
        byte[] bytes = new byte[0];
        int length = 0;
        while (true) {
            ByteBuffer got;
            try {
                got = transport.recv(handle, 0, deadline.isInfinite() ? Transport.INFINITE
                        : Duration.ofNanos(deadline.remainingNanos()));
            } catch (SocketTimeoutException e) {
                transport.unrecv(handle, ByteBuffer.wrap(bytes, 0, length));
                throw new SocketTimeoutException(operation + ": no delimiter within " + timeout + " (" + length
                        + " bytes received stay for the next receive)");
            } catch (EndOfStreamException e) {
                throw new EndOfStreamException(operation + ": end of stream after " + length + " bytes without the delimiter",
                        ByteBuffer.wrap(bytes, 0, length).slice());
            }
            int n = got.remaining();
            int searchFrom = Math.max(0, length - delimiter.length + 1);
            if (bytes.length < length + n) {
                bytes = Arrays.copyOf(bytes, Math.max(length + n, Math.min(2 * bytes.length, maxLength)));
            }
            got.get(bytes, length, n);
            length += n;
            int end = indexOf(bytes, length, delimiter, searchFrom);
            if (end >= 0 && end + delimiter.length <= maxLength) {
                int messageEnd = end + delimiter.length;
                if (messageEnd < length) {
                    transport.unrecv(handle, ByteBuffer.wrap(bytes, messageEnd, length - messageEnd));
                }
                return ByteBuffer.wrap(bytes, 0, messageEnd).slice();
            }
            if (length >= maxLength) {
                transport.unrecv(handle, ByteBuffer.wrap(bytes, 0, length));
                throw new LimitExceededException(operation + ": no delimiter within " + maxLength + " bytes");
            }
        }
    }

    private static int indexOf(byte[] bytes, int length, byte[] delimiter, int from) {
        outer:
        for (int i = from; i <= length - delimiter.length; i++) {
            for (int j = 0; j < delimiter.length; j++) {
                if (bytes[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
