package dev.atoll.transport.bctls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atoll.transport.TransportSelectionException;
import dev.atoll.transport.Transports;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** bctls is chosen by atoll.tls and runs over the plain transport of atoll.transport, like jsse. */
class BctlsConfigurationTest {

    @Test
    void theConfigurationChoosesBctlsItsCryptoAndThePlainTransport() {
        BctlsTransport t = assertInstanceOf(BctlsTransport.class, Transports.configured(Map.of("atoll.tls", "bctls",
                "atoll.bctls.crypto", "bc", "atoll.transport", "iouring,nio")));
        assertEquals(BctlsCrypto.BC, t.crypto());
        assertEquals("nio", t.plain().name(), "iouring is not on this class path, so the list takes nio");
    }

    @Test
    void theOldPlainKeyPointsAtAtollTransport() {
        var e = assertThrows(TransportSelectionException.class,
                () -> Transports.configured(Map.of("atoll.tls", "bctls", "atoll.bctls.plain", "nio")));
        assertTrue(e.getMessage().contains("atoll.bctls.plain is not a setting")
                && e.getMessage().contains("atoll.transport=iouring,nio"), e.getMessage());
    }
}
