package dev.atoll.transport.bctls;

import dev.atoll.tck.Capability;
import dev.atoll.tck.TckSubject;
import dev.atoll.tck.TransportTck;
import java.util.EnumSet;

/**
 * The whole TCK, plain and TLS parts, against bctls over nio (found by name), with JDK SSLSocket
 * and openssl as independent peers and jsse in the interop matrix. Bouncy Castle's TLS has no
 * half-close (sending close_notify closes both directions), so bctls does not claim HALF_CLOSE;
 * {@link BctlsHalfCloseTest} checks the explicit error it gives instead.
 */
class BctlsConformanceTest extends TransportTck {

    @Override
    protected TckSubject subject() {
        return TckSubject.named("bctls", EnumSet.of(Capability.SENDFILE, Capability.IPV6, Capability.SEND_TIMEOUT, Capability.TLS, Capability.UPGRADE));
    }
}
