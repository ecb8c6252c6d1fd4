package dev.atoll.transport.jsse;

import dev.atoll.transport.Listener;

/**
 * A listener of a secure transport: a listener of its plain transport; connections it accepts
 * are TLS servers.
 *
 * @param plain the plain listener
 */
record TlsListener(Listener plain) {
}
