package dev.atoll.transport.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atoll.transport.Transport;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeadlineTest {

    @Test
    void infiniteAndLongerNeverExpire() throws Exception {
        for (Duration d : new Duration[] {Transport.INFINITE, Duration.ofDays(365L * 1000)}) {
            Deadline deadline = Deadline.after(d);
            assertTrue(deadline.isInfinite());
            assertEquals(Long.MAX_VALUE, deadline.remainingNanos());
            assertEquals(0, deadline.soTimeoutMillis("recv"), "0 means no limit to a socket");
        }
    }

    @Test
    void zeroHasNoTimeLeft() {
        Deadline deadline = Deadline.after(Duration.ZERO);
        assertEquals(0, deadline.remainingNanos());
        assertThrows(SocketTimeoutException.class, () -> deadline.soTimeoutMillis("recv"));
    }

    @Test
    void aShortDeadlineStillWaitsAtLeastOneMillisecond() throws Exception {
        Deadline shortOne = Deadline.after(Duration.ofMillis(5));
        try {
            int millis = shortOne.soTimeoutMillis("recv");
            assertTrue(millis >= 1 && millis <= 5, "got " + millis);
        } catch (SocketTimeoutException expiredUnderLoad) {
            assertEquals(0, shortOne.remainingNanos(), "only an expired deadline may time out at once");
        }
        int millis = Deadline.after(Duration.ofMillis(250)).soTimeoutMillis("recv");
        assertTrue(millis > 150 && millis <= 250, "got " + millis);
    }

    @Test
    void aNegativeTimeoutIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Deadline.after(Duration.ofMillis(-1)));
    }
}
