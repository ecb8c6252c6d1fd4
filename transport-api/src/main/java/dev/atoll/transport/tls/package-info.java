/**
 * TLS for secure transports, independent of the TLS library: the configuration
 * ({@link dev.atoll.transport.tls.TlsConfig}), the ClientHello a paused handshake shows
 * ({@link dev.atoll.transport.tls.ClientHello}), and TLS errors.
 */
package dev.atoll.transport.tls;
