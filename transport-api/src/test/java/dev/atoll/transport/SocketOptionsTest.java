package dev.atoll.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SocketOptionsTest {

    @Test
    void keepsOptionsInOrderAndALaterValueReplacesAnEarlierOne() throws Exception {
        SocketOptions options = SocketOptions.of(StandardSocketOptions.TCP_NODELAY, false)
                .with(AtollOptions.RECV_CHUNK_SIZE, 4096)
                .with(StandardSocketOptions.TCP_NODELAY, true);
        assertEquals(Set.of(StandardSocketOptions.TCP_NODELAY, AtollOptions.RECV_CHUNK_SIZE), options.options());
        assertEquals(true, options.get(StandardSocketOptions.TCP_NODELAY));
        List<String> applied = new ArrayList<>();
        options.applyTo(new SocketOptions.OptionTarget() {
            @Override
            public <T> void set(SocketOption<T> option, T value) {
                applied.add(option.name() + "=" + value);
            }
        });
        assertEquals(List.of("ATOLL_RECV_CHUNK_SIZE=4096", "TCP_NODELAY=true"), applied);
    }

    @Test
    void isImmutable() {
        SocketOptions none = SocketOptions.none();
        none.with(StandardSocketOptions.SO_KEEPALIVE, true);
        assertNull(none.get(StandardSocketOptions.SO_KEEPALIVE));
        assertEquals(7, none.get(AtollOptions.BACKLOG, 7));
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void refusesAValueOfTheWrongType() {
        SocketOption raw = StandardSocketOptions.SO_RCVBUF;
        assertThrows(IllegalArgumentException.class, () -> SocketOptions.none().with(raw, "big"));
        assertThrows(NullPointerException.class, () -> SocketOptions.of(StandardSocketOptions.SO_RCVBUF, null));
    }

    @Test
    void recvChunkSizeIsBounded() {
        assertThrows(IllegalArgumentException.class, () -> AtollOptions.checkRecvChunkSize(0));
        assertThrows(IllegalArgumentException.class, () -> AtollOptions.checkRecvChunkSize(AtollOptions.MAX_RECV_CHUNK_SIZE + 1));
        assertEquals(1, AtollOptions.checkRecvChunkSize(1));
    }
}
