package dev.atoll.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import dev.atoll.transport.tls.ClientHello;
import dev.atoll.transport.tls.TlsConfig;

/**
 * A transport: the behaviour a backend implements so that protocol code can listen, accept,
 * connect, receive and send without knowing which backend it runs on. This is the service
 * provider interface; application code normally uses the {@link Listener} and
 * {@link Connection} views, which bind a transport to one of its handles and check arguments
 * before a backend sees them.
 *
 * <p>{@code S} is the backend's connection handle type and {@code L} its listener handle type.
 * Handles are owned by the transport that made them. The type parameters, and views that are
 * only ever created from a transport's own results, keep one transport's handle from reaching
 * another.
 *
 * <h2>Rules</h2>
 * Each rule has a stable id; the conformance suite (the TCK) names the rule it checks, and
 * checks it against an independent peer (plain JDK sockets) in both directions and against
 * the transport itself. The rules about the transport as a whole:
 * <ul>
 *   <li><b>PIN-1</b> Every operation may block the calling thread and parks a virtual thread
 *       instead of pinning its carrier: no monitor or native frame is held around blocking
 *       I/O, and nothing busy-waits. <b>PIN-2</b> A call blocked waiting for the peer
 *       ({@code recv}, {@code accept}, {@code send} to a peer that does not read, a handshake
 *       waiting for the peer) costs the process next to no processor time: the TCK blocks each
 *       several times for 25 ms and allows the process's threads 30% of that time.
 *       <b>PIN-3</b> A thread blocked in such a call, platform or virtual, holds no monitor taken
 *       inside the transport (one that pins a virtual thread on Java 21 to 23, whichever JDK the
 *       transport is tested on).</li>
 *   <li><b>ECHO-1</b> Bytes arrive intact and in order, whatever sizes they are sent and
 *       received in. <b>ECHO-2</b> One reader and one writer may use a connection at the same
 *       time, and large transfers (64 MiB each way at once) arrive intact.</li>
 *   <li><b>CONC-1</b> A listener serves many connections (200) at once, each on its own virtual
 *       thread; <b>CONC-2</b> as many client connections run at once.</li>
 *   <li><b>INTEROP-2</b> With every plain transport on the class path, itself included, as
 *       client and as server: data both ways and a half-close.</li>
 *   <li><b>CLOSE-1</b> {@code close} is idempotent; the peer sees the end of the stream, and
 *       afterwards every operation on the handle throws {@link ConnectionClosedException}.</li>
 *   <li><b>CLOSE-2</b> {@code close} from any thread wakes a caller blocked in {@code recv} with
 *       {@link ConnectionClosedException}.</li>
 *   <li><b>CLOSE-3</b> {@code close} releases the operating-system resources of the handle:
 *       opening and closing connections does not grow the number of open descriptors or
 *       threads. <b>LEAK-1</b> Likewise after any sequence of operations, failed ones
 *       included; threads count whether platform or virtual, and whatever their names: only
 *       the JDK's own (carriers, pollers, the common pool) are not the transport's. A close may
 *       hold its descriptor while it lingers in the background (CLOSE-4), so the count is taken
 *       once the default {@link AtollOptions#CLOSE_LINGER} has passed.</li>
 *   <li><b>CLOSE-4</b> Every byte a {@code send} took before {@code close} reaches the peer,
 *       followed by the end of the stream, including bytes a backend still had queued (see
 *       SEND-1) and bytes the kernel had not yet delivered, also when the peer had sent bytes
 *       this side never received: a close lets queued bytes go out and reads and drops what the
 *       peer still sends, in the background, for {@link AtollOptions#CLOSE_LINGER} at most, so the
 *       peer sees the end of the stream and not a reset. {@link java.net.StandardSocketOptions#SO_LINGER}
 *       0 makes the close abortive instead.</li>
 *   <li><b>CLOSE-5</b> {@code close} from any thread wakes a caller blocked in {@code send} (a
 *       peer that does not read) at once with {@link ConnectionClosedException}.</li>
 *   <li><b>CLOSE-6</b> CLOSE-1 holds for the transport itself, not only for the {@link Connection}
 *       view: after {@link #close(Object)} every operation called on the transport with the handle
 *       ({@code recv} in each form, {@code unrecv}, {@code send}, {@code sendfile}, {@code shutdown},
 *       {@code setopt}, {@code getopt}, {@code peername}, {@code sockname}) throws
 *       {@link ConnectionClosedException} at once: it never returns bytes that arrived before the
 *       close, never returns an empty result, and never blocks.</li>
 *   <li><b>INTR-1</b> A thread interrupted while it is blocked in an operation on a connection
 *       ({@code recv}, {@code send}, {@code sendfile}, {@code handshake}, {@code clientHello}),
 *       or that calls one with its interrupt status set, makes the transport close the
 *       connection, as the JDK's interruptible channels do: the call throws
 *       {@link java.io.InterruptedIOException} (never its subclass
 *       {@link java.net.SocketTimeoutException}), the thread's interrupt status stays set, the
 *       peer sees the connection end, and every later operation throws
 *       {@link ConnectionClosedException}. Interrupting is a way to abandon a connection, not
 *       to cancel one call.</li>
 * </ul>
 * For a secure transport ({@link #secure()}), tested against the JDK's {@code SSLSocket} and
 * OpenSSL:
 * <ul>
 *   <li><b>TLS-1</b> TLS 1.3 and 1.2 handshakes and data, as client and as server, with EC and
 *       with RSA certificates. <b>TLS-13</b> A configuration that names no versions and no cipher
 *       suites (the default) enables TLS 1.3 and 1.2, each with its AES-GCM and
 *       ChaCha20-Poly1305 suites, with EC and RSA certificates: as server and as client it
 *       connects with a peer pinned to any one version and one of those families.</li>
 *   <li><b>TLS-2</b> ALPN agrees on a protocol both sides offer ({@link #negotiatedProtocol});
 *       without ALPN none is negotiated. <b>TLS-3</b> With none in common the handshake fails
 *       with the alert {@code no_application_protocol}.</li>
 *   <li><b>TLS-4</b> A server presents the identity configured for the SNI name asked for.</li>
 *   <li><b>TLS-5</b> With client authentication required, a trusted client certificate is what
 *       {@link #peercert} shows the server; a missing or untrusted one fails the handshake.
 *       <b>TLS-6</b> With it optional, a client without a certificate connects.</li>
 *   <li><b>TLS-7</b> A client refuses a server certificate for another name (hostname
 *       verification is on by default), an expired one, or one from no trusted CA.</li>
 *   <li><b>TLS-8</b> {@code shutdown(WRITE)} sends close_notify, which the peer reads as an
 *       orderly end; the peer's close_notify is an {@link EndOfStreamException}; a peer that
 *       closes without it is a {@link dev.atoll.transport.tls.TlsException}, as the data may be
 *       truncated. <b>TLS-10</b> After sending close_notify this side can still receive (TLS
 *       half-close), where the TLS library allows it; where it does not, a receive after
 *       {@code shutdown(WRITE)} is a {@link ConnectionClosedException} that says so.</li>
 *   <li><b>TLS-9</b> A reset in the middle of a record is an error, not an end of stream.</li>
 *   <li><b>TLS-12</b> A secure transport without an identity refuses to {@link #listen} and
 *       to {@link #upgrade} the server side, with an {@link IllegalStateException}.</li>
 *   <li><b>TLS-11</b> A configuration naming a cipher suite the backend lacks, or whose suites
 *       run over none of its protocol versions, is refused when the transport is made, with an
 *       {@link IllegalArgumentException} that names the suite and what the backend offers.</li>
 *   <li><b>HANDSHAKE-2</b> A client that sends nothing, or nothing after its ClientHello, makes
 *       the handshake time out after its timeout and not much later (see Timeouts), and the
 *       connection is closed. The same holds for {@link #clientHello} with a client that sends
 *       nothing, for the handshake continued after it
 *       ({@link #handshake(Object, TlsConfig, Duration)}), and for a client's handshake with a
 *       server that answers nothing. <b>HANDSHAKE-3</b> A plain HTTP request
 *       or a cut-off ClientHello fails the handshake with a
 *       {@link dev.atoll.transport.tls.TlsException}.</li>
 *   <li><b>ALERT-1</b> A server that refuses its peer (garbage, a plain HTTP request, a malformed
 *       or cut-off ClientHello, no protocol version or cipher suite in common) sends it a fatal
 *       TLS alert before the connection ends, at once.</li>
 *   <li><b>UPGRADE-2</b>, <b>UPGRADE-3</b> An established plain connection, server or client
 *       side, becomes TLS after a STARTTLS exchange ({@link #upgrade}). <b>UPGRADE-5</b> Bytes
 *       the plain side read ahead and handed back with {@link #unrecv} are the first the TLS
 *       layer reads.</li>
 *   <li><b>OPENSSL-1</b>, <b>OPENSSL-2</b> The same hold against {@code openssl s_client} and
 *       {@code s_server} pinned to one version and one cipher family, the transport keeping its
 *       defaults: versions, suites, ALPN, SNI, verification both ways (EC and RSA
 *       certificates), close_notify.</li>
 *   <li><b>INTEROP-1</b> With every secure transport on the class path, itself included, as
 *       client and as server, the transport keeping its default versions and the other pinned
 *       to TLS 1.3 or 1.2: EC and RSA certificates, ALPN, a required client certificate, data.</li>
 * </ul>
 * UPGRADE-4 (an already secure connection is not upgraded) is on {@link #upgrade}. The
 * paused handshake's rules PAUSE-1 to PAUSE-5 are on {@link #clientHello},
 * {@link #handshake(Object, TlsConfig, Duration)} and {@link #cancelHandshake}.
 *
 * <b>ERROR-1</b> Errors are {@link IOException}s whose message names the operation and the peer
 * (its address and port): a receive's timeout, a send's timeout, an end of stream, a reset, an
 * operation on a closed connection. Timeouts are
 * {@link java.net.SocketTimeoutException}s and a refused connection a
 * {@link java.net.ConnectException}. The rules of each operation are given on its method.
 *
 * <h2>Timeouts</h2>
 * Every timeout is a non-negative {@link Duration}. {@link #INFINITE} waits without limit and
 * {@link Duration#ZERO} never waits. Callers may pass any duration at least as long as
 * {@link #INFINITE} to mean "no limit". A call that times out does so after its timeout and not
 * much later: the TCK allows 700 ms beyond it (a loaded machine), trying a late call once more
 * (RECV-3, ACCEPT-2, CONNECT-3, HANDSHAKE-2).
 *
 * @param <S> the connection handle type of this backend
 * @param <L> the listener handle type of this backend
 */
public interface Transport<S, L> extends AutoCloseable {

    /** A timeout that never expires. */
    Duration INFINITE = ChronoUnit.FOREVER.getDuration();

    /**
     * Releases what the transport itself owns: its threads, and the plain transport it made
     * (a secure transport made from configuration closes the plain one under it, never one
     * handed to it). Connections and listeners are closed by their own {@code close}, before
     * this. Idempotent. Does nothing by default.
     */
    @Override
    default void close() {
    }

    /**
     * The plain transport whose connections this one runs over: the transport itself when it is
     * plain, as this default answers, and the transport under the TLS records when it is secure,
     * which a secure transport must say by overriding this. What comes before a TLS handshake,
     * such as a proxy's PROXY protocol header, is read from a connection of the plain transport,
     * which {@link #upgrade} then hands to this one.
     *
     * @return the plain transport
     * @throws IllegalStateException when a secure transport does not say
     */
    default Transport<?, ?> plain() {
        if (secure()) {
            throw new IllegalStateException(name() + " is secure and does not say which plain transport it runs over");
        }
        return this;
    }

    /**
     * The name users select this transport by, such as {@code nio} or {@code jsse}: lower case
     * letters, digits and {@code -}, unique among the transports on the class path.
     *
     * @return the transport's name
     */
    String name();

    /**
     * Whether connections of this transport are encrypted and authenticated (TLS).
     *
     * @return {@code true} for a secure transport
     */
    boolean secure();

    /**
     * Every socket option {@link #setopt}/{@link #getopt} accept on connections of this
     * transport: JDK options such as {@link java.net.StandardSocketOptions#TCP_NODELAY} and
     * Atoll's own from {@link AtollOptions}.
     *
     * <p><b>OPT-1</b> Every advertised option round-trips: a value set is the value read back,
     * except that the kernel may round buffer sizes up. <b>OPT-2</b> An option not advertised is
     * refused with {@link UnsupportedFeatureException}, never silently ignored.
     *
     * @return the supported connection options, immutable
     */
    Set<SocketOption<?>> supportedOptions();

    /**
     * Opens a listener bound to {@code local}. Port 0 picks a free ephemeral port.
     *
     * <p><b>LISTEN-1</b> The listener is bound when this returns, and {@link #listenerAddress}
     * reports the address and the actual port. <b>LISTEN-3</b> A listener bound to
     * one address accepts on that address only: bound to {@code 127.0.0.1}, a client connecting to
     * {@code 127.0.0.2} or {@code ::1} on its port is refused. <b>LISTEN-4</b> With
     * {@link java.net.StandardSocketOptions#SO_REUSEPORT}, several listeners share a port, as a
     * server with one listener per acceptor needs: a second listener binds the port the first got
     * for port 0, the kernel spreads the clients' connections over both (the TCK connects 64 JDK
     * clients, and each listener must accept some of them), and when one closes the other goes on
     * accepting. A transport that cannot do this refuses the option with
     * {@link UnsupportedFeatureException} naming it; it never ignores it (ignored, the second
     * listen fails with a {@link java.net.BindException}). <b>TLS-12</b> A secure transport whose
     * configuration has no identity to present (and no ready-made context) throws
     * {@link IllegalStateException} saying so, and binds nothing: a TLS server needs a
     * certificate.
     *
     * @param local   the address to bind
     * @param options listener options: {@link AtollOptions#BACKLOG},
     *                {@link java.net.StandardSocketOptions#SO_REUSEADDR},
     *                {@link java.net.StandardSocketOptions#SO_REUSEPORT} (LISTEN-4) and any other the
     *                backend supports for listeners
     * @return the listener handle
     * @throws IOException if the address cannot be bound
     * @throws IllegalStateException for a secure transport without an identity (TLS-12)
     */
    L listen(InetSocketAddress local, SocketOptions options) throws IOException;

    /**
     * Waits for the next incoming connection.
     *
     * <p><b>ACCEPT-1</b> Returns a connected handle whose {@link #peername} is the connecting
     * peer's local address. <b>ACCEPT-2</b> When no peer connects within {@code timeout} it
     * throws {@link java.net.SocketTimeoutException}, not much later than {@code timeout} (see
     * Timeouts), and the listener stays usable.
     * <b>ACCEPT-3</b> Connections wait in the kernel's backlog ({@link AtollOptions#BACKLOG})
     * until {@code accept} asks for them: a listener takes at most a few connections from the
     * kernel ahead of the {@code accept} calls, so while nobody accepts, no more clients connect
     * than the backlog holds, and the rest meet TCP's own back-pressure (on Linux their SYNs are
     * dropped and their connects time out). The TCK listens with a backlog of 2, lets 64 JDK
     * clients try to connect, in waves of 8, and then accepts until nothing comes: at most 10
     * may be accepted.
     *
     * @param listener the listener
     * @param timeout  how long to wait
     * @return the accepted connection
     * @throws IOException on timeout, when the listener is closed, or on an I/O error
     */
    S accept(L listener, Duration timeout) throws IOException;

    /**
     * The address a listener is bound to, with the actual port.
     *
     * @param listener the listener
     * @return the bound address
     * @throws IOException if the listener is closed
     */
    InetSocketAddress listenerAddress(L listener) throws IOException;

    /**
     * Closes a listener.
     *
     * <p><b>LISTEN-2</b> Idempotent; a caller blocked in {@link #accept} is woken with
     * {@link ConnectionClosedException}. Connections already returned by {@link #accept} stay
     * open and keep working: their peers can still send and receive through them. <b>ACCEPT-3</b> It returns within a second whatever the listener
     * holds, and every connection it holds and has not returned by {@code accept} (in its own
     * queue or in the kernel's backlog) is closed: the clients see their connections end, and
     * no descriptor is left open.
     *
     * @param listener the listener
     * @throws IOException never for a second call; on an I/O error otherwise
     */
    void closeListener(L listener) throws IOException;

    /**
     * Opens a connection to {@code remote}.
     *
     * <p><b>CONNECT-1</b> Returns a connected handle; {@link #peername} is {@code remote}.
     * <b>CONNECT-2</b> When nothing listens there it throws {@link java.net.ConnectException}
     * naming {@code remote}; when the peer does not answer within {@code timeout}, a
     * {@link java.net.SocketTimeoutException}. No handle or descriptor is left behind.
     * <b>CONNECT-3</b> A peer that does not answer (the TCK connects to a listener whose full
     * backlog makes the kernel drop the SYN) makes the connect throw
     * {@link java.net.SocketTimeoutException} naming {@code remote}, after {@code timeout} and
     * not much later (see Timeouts).
     *
     * @param remote  the peer's address
     * @param options options applied before connecting, each one advertised by
     *                {@link #supportedOptions}; <b>OPT-3</b> they are in effect on the returned
     *                connection, and one not advertised is refused with
     *                {@link UnsupportedFeatureException}
     * @param timeout how long the connection may take to establish
     * @return the connected handle
     * @throws IOException when the connection cannot be established
     */
    S connect(InetSocketAddress remote, SocketOptions options, Duration timeout) throws IOException;

    /**
     * Completes the transport's own handshake on a freshly accepted or connected handle, on the
     * calling thread. Separate from {@link #accept} so that an acceptor thread never waits for a
     * slow peer.
     *
     * <p><b>HANDSHAKE-1</b> A plain transport returns {@code socket} itself at once. A secure
     * transport runs its handshake within {@code timeout}; when the handshake fails the handle
     * is closed and the error is thrown.
     *
     * @param socket  the handle
     * @param timeout the handshake's time limit
     * @return the handle to use from now on
     * @throws IOException when the handshake fails or times out
     */
    S handshake(S socket, Duration timeout) throws IOException;

    /**
     * Pauses a server-side TLS handshake after the client's first message: reads the
     * ClientHello within {@code timeout} and returns what it asks for, without answering it
     * (Ranch's {@code {continue, Info}}). Continue with {@link #handshake(Object, TlsConfig, Duration)}
     * or refuse with {@link #cancelHandshake}.
     *
     * <p><b>PAUSE-1</b> The ClientHello is read whole even when it is split over several records
     * and segments, and its bytes are kept for the handshake that follows. <b>PAUSE-2</b> Bytes
     * that are not a TLS ClientHello (a plain HTTP request, garbage, an SSL 2.0 hello) and
     * ClientHellos larger than the reader's bound are refused with a
     * {@link dev.atoll.transport.tls.TlsException} saying what arrived; the peer is sent a fatal
     * alert and the connection is closed.
     *
     * <p><b>PAUSE-5</b> Only a server-side handle whose handshake has not begun has a ClientHello
     * to show: on a client-side handle, or once the handshake has begun (or finished), it throws
     * {@link IllegalStateException} and leaves the connection as it was.
     *
     * <p>A plain transport throws {@link NotSecureException}, as this default does.
     *
     * @param socket  a server-side handle on which no handshake has run
     * @param timeout how long the client may take to send its ClientHello
     * @return what the client asked for
     * @throws IOException on timeout, bytes that are not a ClientHello, or failure
     * @throws IllegalStateException on a client-side handle or after the handshake began (PAUSE-5)
     */
    default ClientHello clientHello(S socket, Duration timeout) throws IOException {
        throw new NotSecureException("clientHello: " + name() + " is not a secure transport");
    }

    /**
     * Runs the handshake with settings chosen for this connection, usually after
     * {@link #clientHello} showed what the client asked for: another identity, ALPN list or
     * client-authentication mode.
     *
     * <p><b>PAUSE-3</b> The handshake uses {@code chosen} instead of the transport's
     * configuration, and otherwise follows {@link #handshake(Object, Duration)}.
     *
     * <p>A plain transport throws {@link NotSecureException}, as this default does.
     *
     * @param socket  the handle
     * @param chosen  the settings for this connection
     * @param timeout the handshake's time limit
     * @return the handle to use from now on
     * @throws IOException when the handshake fails or times out
     */
    default S handshake(S socket, TlsConfig chosen, Duration timeout) throws IOException {
        throw new NotSecureException("handshake: " + name() + " is not a secure transport");
    }

    /**
     * Refuses a paused handshake: sends the client a fatal {@code handshake_failure} alert and
     * closes the connection.
     *
     * <p><b>PAUSE-4</b> The client's handshake fails with that alert, and nothing is left open:
     * the client sees the connection end (its end of stream or a reset) within seconds, the
     * handle is closed (CLOSE-6), and its descriptor is released.
     *
     * <p>A plain transport throws {@link NotSecureException}, as this default does.
     *
     * @param socket the handle
     * @throws IOException when the alert cannot be sent; the connection is closed anyway
     */
    default void cancelHandshake(S socket) throws IOException {
        throw new NotSecureException("cancelHandshake: " + name() + " is not a secure transport");
    }

    /**
     * Turns an established plain connection of any transport into a connection of this one,
     * keeping the bytes the plain side had already received (STARTTLS). After a successful
     * upgrade the plain connection belongs to the new one and must not be used directly.
     *
     * <p><b>UPGRADE-1</b> A plain transport refuses with {@link UnsupportedFeatureException} and
     * leaves {@code plain} untouched and usable. <b>UPGRADE-4</b> A secure transport refuses a
     * connection that is already secure with {@link UnsupportedFeatureException} in the same
     * way, and the server side without an identity with {@link IllegalStateException} (TLS-12).
     *
     * @param plain  the established connection to take over
     * @param server {@code true} to act as the server side of the new session
     * @return the upgraded handle; call {@link #handshake} on it next
     * @throws IOException when the upgrade is refused or fails
     * @throws IllegalStateException for the server side of a transport without an identity
     */
    S upgrade(Connection plain, boolean server) throws IOException;

    /**
     * Receives bytes.
     *
     * <ul>
     *   <li><b>RECV-1</b> With {@code length > 0} it returns exactly {@code length} bytes, in
     *       order, however the peer split them.</li>
     *   <li><b>RECV-2</b> With {@code length == 0} it returns the bytes that are available, at
     *       least one and never more than the peer sent.</li>
     *   <li><b>RECV-3</b> When the bytes do not arrive within {@code timeout} it throws
     *       {@link java.net.SocketTimeoutException}, not much later than {@code timeout} (see the
     *       class description's Timeouts; the same holds for {@code recv} into a buffer and for
     *       {@link Connection#recvUntil}); the connection stays usable and no byte is
     *       lost: bytes already taken for an unfinished exact-length receive are returned by the
     *       next {@code recv}.</li>
     *   <li><b>RECV-4</b> With a zero timeout it never waits: it returns bytes that have already
     *       arrived or throws {@link java.net.SocketTimeoutException} at once. <b>RECV-10</b> Bytes
     *       the transport already holds count as arrived: the rest of an arrival that an earlier
     *       {@code recv(socket, 1, ...)} read from the kernel, and bytes handed back with
     *       {@link #unrecv}, are returned by a zero-timeout receive at once.</li>
     *   <li><b>RECV-5</b> An orderly end of stream (the peer shut down writing or closed) throws
     *       {@link EndOfStreamException}, which carries the bytes received before the end for an
     *       unfinished exact-length receive.</li>
     *   <li><b>RECV-8</b> The memory a receive takes grows with the bytes that arrive, not with
     *       the length asked for: {@code recv(socket, 1_500_000_000, timeout)} with three bytes
     *       sent holds a few KiB, so a length read from the peer cannot take the heap.</li>
     *   <li><b>RESET-1</b> A reset by the peer is an {@link IOException} that is none of
     *       {@link EndOfStreamException}, {@link java.net.SocketTimeoutException} and
     *       {@link ConnectionClosedException}.</li>
     *   <li><b>RESET-2</b> A reset that comes right behind data while a receive waits is
     *       reported too, after the bytes that arrived before it (a prefix of those sent), and
     *       without waiting for more.</li>
     * </ul>
     *
     * @param socket  the handle
     * @param length  0 for whatever is available, or the exact number of bytes wanted
     * @param timeout how long to wait
     * @return a new buffer, positioned at 0, holding the bytes; the caller owns it
     * @throws IOException on timeout, end of stream, close, or an I/O error
     */
    ByteBuffer recv(S socket, int length, Duration timeout) throws IOException;

    /**
     * Receives into the caller's buffer: the bytes that are available, at least one and at most
     * {@code dst.remaining()}, without allocating a buffer per call.
     *
     * <p><b>RECV-6</b> Follows RECV-2 to RECV-5 as {@code recv(socket, 0, timeout)} does, but
     * puts the bytes into {@code dst} at its position and advances it; bytes beyond
     * {@code dst.remaining()} stay for the next receive. A timeout or the end of the stream
     * leaves {@code dst} unchanged.
     *
     * @param socket  the handle
     * @param dst     where the bytes go, with at least one byte remaining
     * @param timeout how long to wait
     * @return how many bytes were put into {@code dst}, at least 1
     * @throws IOException on timeout, end of stream, close, or an I/O error
     */
    int recv(S socket, ByteBuffer dst, Duration timeout) throws IOException;

    /**
     * Hands bytes back to the connection, as if they had not been received yet (Ranch's
     * {@code unrecv}): protocol code that read ahead (a line reader, a request-head parser) gives
     * back what belongs to the next message or to another protocol.
     *
     * <p><b>RECV-7</b> The next receives return the remaining bytes of {@code bytes} first, in
     * order and before anything received later; several calls stack, the last one given first.
     * {@link #upgrade} of the connection hands them to the new protocol, so a STARTTLS
     * exchange or a protocol switch loses nothing. The statistics (STATS-1) count such bytes
     * once more when they are received again. <b>RECV-9</b>
     * {@link Connection#recvUntil} is built on it: it returns the bytes up to a delimiter and
     * hands back what follows, and on a timeout or a passed limit hands back all it read.
     *
     * @param socket the handle
     * @param bytes  the bytes, from their position to their limit; copied, so the caller may
     *               reuse the buffer
     * @throws IOException when the connection is closed
     */
    void unrecv(S socket, ByteBuffer bytes) throws IOException;

    /**
     * Sends every remaining byte of {@code data}, in order, as if the buffers were one
     * (a gathering write).
     *
     * <p><b>SEND-1</b> Returns only when every byte has been taken: handed to the kernel or the
     * TLS engine, or copied into the backend's own bounded queue of writes, which goes out in
     * order before anything sent later (a backend that writes behind keeps a few tens of KiB
     * queued per connection at most, and parks the sender while the queue is full). Each
     * buffer's position has then advanced to its limit, and the caller may reuse it at once. It
     * never returns after a short write: it either takes everything or throws. A queued write
     * that fails later makes the next {@code send}, {@code sendfile} or {@code shutdown} throw;
     * {@code shutdown(WRITE)} and {@code close} let queued bytes go out first, as the kernel
     * does with its send buffer.
     *
     * <p><b>SEND-2</b> A {@code send} waits for the peer to take the bytes for the connection's
     * {@link AtollOptions#SEND_TIMEOUT} at most (no limit by default).
     *
     * @param socket the handle
     * @param data   the buffers, in order
     * @throws IOException when the connection is closed, shut down for writing, or fails; a
     *                     {@link SendTimeoutException} when the send timeout passed
     */
    void send(S socket, ByteBuffer... data) throws IOException;

    /**
     * Sends as {@link #send(Object, ByteBuffer...)} does, waiting for the peer for
     * {@code timeout} at most instead of the connection's {@link AtollOptions#SEND_TIMEOUT}.
     *
     * <p><b>SEND-3</b> When a peer does not take the bytes within the time limit (it does not
     * read, and the kernel's buffers are full) the call throws {@link SendTimeoutException}, whose
     * {@link SendTimeoutException#bytesTaken()} counts the bytes of this call that were taken;
     * the buffers' positions have advanced by as much, and the connection stays usable: the
     * peer receives exactly the bytes taken, followed by whatever is sent next. <b>SEND-4</b>
     * With {@link AtollOptions#SEND_TIMEOUT_CLOSE} the connection is closed before the
     * exception is thrown. A zero timeout takes what the kernel (or queue) can take at once.
     * <b>SEND-5</b> A transport whose sends cannot honour a time limit (one on blocking sockets)
     * does not advertise {@link AtollOptions#SEND_TIMEOUT} and refuses a finite {@code timeout}
     * with {@link UnsupportedFeatureException}; it never ignores one.
     *
     * @param socket  the handle
     * @param timeout how long to wait for the peer
     * @param data    the buffers, in order
     * @throws IOException when the connection is closed, shut down for writing, or fails; a
     *                     {@link SendTimeoutException} when the time limit passed
     */
    void send(S socket, Duration timeout, ByteBuffer... data) throws IOException;

    /**
     * Sends {@code length} bytes of the file at {@code path}, starting at {@code offset}, using
     * the kernel's zero-copy path where the backend can and a bounded chunked copy where it
     * cannot. The file is opened and closed by this call, so no shared file position moves.
     *
     * <ul>
     *   <li><b>SENDFILE-1</b> A whole file is sent, and the call returns its size.</li>
     *   <li><b>SENDFILE-2</b> A range sends exactly the bytes of the range.</li>
     *   <li><b>SENDFILE-3</b> {@code length == 0} sends from {@code offset} to the end of the
     *       file.</li>
     *   <li><b>SENDFILE-4</b> A range that reaches past the end of the file fails with an
     *       {@link java.io.EOFException} before any byte is sent; the connection stays
     *       usable.</li>
     *   <li><b>SENDFILE-5</b> A missing file fails with {@link java.nio.file.NoSuchFileException};
     *       the connection stays usable.</li>
     *   <li><b>SENDFILE-6</b> Large files (64 MiB) arrive intact.</li>
     * </ul>
     * A {@code sendfile} waits for the peer for the connection's {@link AtollOptions#SEND_TIMEOUT}
     * at most, as {@code send} does (SEND-2 to SEND-4).
     *
     * @param socket the handle
     * @param path   the file
     * @param offset the first byte to send, at least 0
     * @param length how many bytes, or 0 for all up to the end of the file
     * @return the number of bytes sent
     * @throws IOException when the file cannot be read or the connection fails
     */
    long sendfile(S socket, Path path, long offset, long length) throws IOException;

    /**
     * Sets a connection option. See {@link #supportedOptions} for OPT-1 and OPT-2.
     *
     * <p><b>OPT-4</b> An option set on a live connection takes effect on that connection at once,
     * and on no other connection of the transport: after {@code SO_LINGER} 0 its close is a reset
     * its peer sees, while another connection of the same transport still closes in order. The
     * same holds for Atoll's own options, which a backend keeps itself: <b>OPT-5</b>
     * {@link AtollOptions#SEND_TIMEOUT} set after connect (or accept) limits the sends that follow
     * (SEND-2), while a send without a limit on another connection, to a peer that does not read
     * either, stays blocked past that limit until a close wakes it (CLOSE-5); <b>OPT-6</b>
     * {@link AtollOptions#RECV_CHUNK_SIZE} set after connect bounds every
     * {@code recv(socket, 0, timeout)} that follows, and another connection's reads back as it was.
     *
     * @param socket the handle
     * @param option the option
     * @param value  its new value
     * @param <T>    the option's value type
     * @throws IOException when the option is not supported or cannot be set
     */
    <T> void setopt(S socket, SocketOption<T> option, T value) throws IOException;

    /**
     * Reads a connection option. See {@link #supportedOptions} for OPT-1 and OPT-2.
     *
     * @param socket the handle
     * @param option the option
     * @param <T>    the option's value type
     * @return the current value
     * @throws IOException when the option is not supported or cannot be read
     */
    <T> T getopt(S socket, SocketOption<T> option) throws IOException;

    /**
     * The connection's traffic counters since it was opened.
     *
     * <p><b>STATS-1</b> {@code recvOctets} and {@code sendOctets} count exactly the
     * application bytes returned by {@code recv} and accepted by {@code send}/{@code sendfile};
     * {@code recvCalls} and {@code sendCalls} count the calls that moved at least one byte.
     * <b>STATS-2</b> A receive that times out changes no counter, also when an exact-length
     * receive took some bytes before it timed out; those bytes are counted once, by the receive
     * that returns them.
     *
     * @param socket the handle
     * @return a snapshot of the counters
     * @throws IOException if the counters cannot be read
     */
    SocketStats getstat(S socket) throws IOException;

    /**
     * The application protocol agreed through ALPN.
     *
     * <p><b>SECURE-1</b> A plain transport throws {@link NotSecureException}; a secure one
     * returns an empty optional when no protocol was agreed.
     *
     * @param socket the handle
     * @return the agreed protocol, if any
     * @throws IOException {@link NotSecureException} on a plain transport
     */
    Optional<String> negotiatedProtocol(S socket) throws IOException;

    /**
     * The peer's verified certificate chain, the peer's own certificate first.
     *
     * <p>SECURE-1 applies: a plain transport throws {@link NotSecureException}; a secure one
     * returns an empty list when the peer presented no certificate.
     *
     * @param socket the handle
     * @return the peer's chain, possibly empty
     * @throws IOException {@link NotSecureException} on a plain transport
     */
    List<Certificate> peercert(S socket) throws IOException;

    /**
     * What the connection's TLS handshake agreed: version, cipher suite, requested server name
     * and ALPN result.
     *
     * <p><b>SECURE-2</b> After the handshake a secure transport reports the version and cipher
     * suite its peer agreed to (TLS-13 checks it against JDK peers pinned to each); a plain
     * transport throws {@link NotSecureException}, as this default does.
     *
     * @param socket the handle, handshaken
     * @return the session
     * @throws IOException {@link NotSecureException} on a plain transport; a closed connection
     */
    default dev.atoll.transport.tls.TlsSession tlsSession(S socket) throws IOException {
        throw new NotSecureException("tlsSession: " + name() + " is not a secure transport");
    }

    /**
     * The peer's address.
     *
     * <p><b>ADDR-1</b> On the two ends of a connection, one's {@code peername} is the other's
     * {@code sockname}. <b>ADDR-2</b> The same holds over IPv6 ({@code ::1}), where the machine
     * has it.
     *
     * @param socket the handle
     * @return the remote address
     * @throws IOException if the connection is closed
     */
    InetSocketAddress peername(S socket) throws IOException;

    /**
     * The connection's local address. See ADDR-1.
     *
     * @param socket the handle
     * @return the local address
     * @throws IOException if the connection is closed
     */
    InetSocketAddress sockname(S socket) throws IOException;

    /**
     * Half-closes the connection.
     *
     * <p><b>SHUTDOWN-1</b> {@link ShutdownHow#WRITE} makes the peer see an orderly end of
     * stream while this side can still receive (on TLS it sends close_notify).
     * <b>SHUTDOWN-2</b> {@link ShutdownHow#READ} makes later receives on this side report an end
     * of stream while this side can still send. {@link ShutdownHow#BOTH} does both.
     * <b>SHUTDOWN-3</b> {@link ShutdownHow#READ} from another thread wakes a receive blocked on
     * the connection, which reports an end of stream (never a truncation or a reset), while
     * this side can still send: the way to end a reader without closing, as a server does to
     * tell an idle connection that it is stopping.
     *
     * @param socket the handle
     * @param how    which direction(s)
     * @throws IOException if the connection is closed or the shutdown fails
     */
    void shutdown(S socket, ShutdownHow how) throws IOException;

    /**
     * Closes the connection and releases its resources. See CLOSE-1 to CLOSE-4 in the class
     * description.
     *
     * @param socket the handle
     * @throws IOException never for a second call; on an I/O error otherwise
     */
    void close(S socket) throws IOException;
}
