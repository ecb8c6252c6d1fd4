package dev.atoll.tck.faults;

import dev.atoll.transport.AtollOptions;
import dev.atoll.transport.EndOfStreamException;
import dev.atoll.transport.ShutdownHow;
import dev.atoll.transport.SocketStats;
import dev.atoll.transport.Transport;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.Optional;
import java.net.StandardSocketOptions;
import dev.atoll.tck.TckSubject;
import dev.atoll.transport.tls.ClientAuth;

/**
 * Deliberately broken transports, each a wrapper that breaks one rule of a correct transport:
 * the TCK must fail every one of them on the rule named. {@link #all()} breaks plain rules and
 * wraps any transport; {@link #tls()} breaks TLS rules and wraps a secure transport's factory.
 */
public final class Faults {

    private Faults() {
    }

    /**
     * One fault: what it breaks, the rule that must catch it, and how to wrap a transport with it.
     *
     * @param description what is wrong
     * @param rule        the id of the rule that must fail
     * @param wrap        makes the faulty transport from a correct one
     */
    public record Fault(String description, String rule, Function<Transport<?, ?>, Transport<?, ?>> wrap) {
        @Override
        public String toString() {
            return description + " (" + rule + ")";
        }
    }

    /**
     * Every fault.
     *
     * @return the faults
     */
    public static List<Fault> all() {
        return List.of(
                new Fault("recv(n) returns one byte too many", "RECV-1", t -> extraByte(t)),
                new Fault("send drops the last byte", "ECHO-1", t -> dropsLastByte(t)),
                new Fault("a gathering send sends only its first buffer", "SEND-1", t -> firstBufferOnly(t)),
                new Fault("shutdown does nothing", "SHUTDOWN-1", t -> shutdownIgnored(t)),
                new Fault("shutdown(READ) ends later receives but leaves a waiting one blocked", "SHUTDOWN-3",
                        t -> shutdownReadLeavesReceiverBlocked(t)),
                new Fault("recv ignores its timeout", "RECV-3", t -> timeoutIgnored(t)),
                new Fault("a zero-timeout recv waits", "RECV-4", t -> probeWaits(t)),
                new Fault("end of stream reported as a timeout", "RECV-5", t -> endAsTimeout(t)),
                new Fault("a reset reported as an end of stream", "RESET-1", t -> resetAsEnd(t)),
                new Fault("getstat counts one byte too many sent", "STATS-1", t -> statsMiscount(t)),
                new Fault("close shuts the socket down but leaks its descriptor", "CLOSE-3", t -> closeLeaks(t)),
                new Fault("close is abortive (SO_LINGER 0) and drops what is not yet delivered", "CLOSE-4",
                        t -> closeAborts(t)),
                new Fault("peername answers the local address", "ADDR-1", t -> peernameIsLocal(t)),
                new Fault("setopt ignores the value", "OPT-1", t -> setoptIgnored(t)),
                new Fault("sendfile ignores the offset", "SENDFILE-2", t -> sendfileFromStart(t)),
                new Fault("a refused connect does not name the address", "CONNECT-2", t -> anonymousRefusal(t)),
                new Fault("the listener accepts eagerly into an unbounded queue", "ACCEPT-3", t -> acceptsEagerly(t)),
                new Fault("recv(n) allocates n bytes before any arrive", "RECV-8", t -> allocatesAskedLength(t)),
                new Fault("unrecv drops the bytes", "RECV-7", t -> unrecvDrops(t)),
                new Fault("recv into a buffer does not move its position", "RECV-6", t -> recvIntoKeepsPosition(t)),
                new Fault("a call made interrupted ignores the interrupt", "INTR-1", t -> interruptIgnored(t)),
                new Fault("recv waits five times its timeout", "RECV-3", t -> recvWaitsLonger(t)),
                new Fault("connect waits five times its timeout", "CONNECT-3", t -> connectWaitsLonger(t)),
                new Fault("recv on a closed handle returns an empty buffer", "CLOSE-6", t -> recvAfterCloseEmpty(t)),
                new Fault("close ends the output and closes at once, without reading what the peer sent", "CLOSE-4",
                        t -> closeWithoutDraining(t)),
                new Fault("setopt on a live connection is only remembered", "OPT-4", t -> setoptRemembered(t, option -> true)),
                new Fault("setopt applies to every connection of the transport", "OPT-4", t -> setoptOnAll(t, option -> true)),
                new Fault("RECV_CHUNK_SIZE set on a live connection is only remembered", "OPT-6",
                        t -> setoptRemembered(t, option -> option == AtollOptions.RECV_CHUNK_SIZE)),
                new Fault("an Atoll option set on one connection applies to every connection of the transport", "OPT-6",
                        t -> setoptOnAll(t, Faults::isAtollOption)),
                new Fault("listen drops SO_REUSEPORT silently", "LISTEN-4", t -> reusePortDropped(t)),
                new Fault("closing a listener closes the connections it accepted", "LISTEN-2", t -> listenerClosesAccepted(t)),
                new Fault("listen binds the wildcard address and reports the one asked for", "LISTEN-3", t -> bindsWildcard(t)),
                new Fault("a zero-timeout probe ignores bytes handed back with unrecv", "RECV-10", t -> probeIgnoresHeldBytes(t)),
                new Fault("a receive that times out is counted as a call", "STATS-2", t -> timeoutsCounted(t)),
                new Fault("a recv timeout's message does not name the peer", "ERROR-1", t -> anonymousTimeout(t)),
                new Fault("every connection starts a virtual thread that outlives it", "LEAK-1", t -> watcherPerConnection(t)),
                new Fault("every listener starts a pool of threads named like the JDK's that is never shut down", "LEAK-1",
                        t -> poolPerListener(t)),
                new Fault("recv spins for up to 20 ms before it waits", "PIN-2", t -> recvSpins(t)),
                new Fault("recv waits inside a synchronized block", "PIN-3", t -> recvSynchronized(t)));
    }

    /**
     * Faults of what Atoll's own options govern (send time limits, the close linger), for
     * transports that claim {@link dev.atoll.tck.Capability#SEND_TIMEOUT} and support
     * {@link dev.atoll.transport.AtollOptions#CLOSE_LINGER}.
     *
     * @return the faults
     */
    public static List<Fault> ofAtollOptions() {
        return List.of(
                new Fault("close resets when the peer sent bytes never read", "CLOSE-4", t -> closeWithoutLinger(t)),
                new Fault("a send ignores its time limit", "SEND-3", t -> sendLimitIgnored(t)),
                new Fault("SEND_TIMEOUT_CLOSE is ignored", "SEND-4", t -> timeoutCloseIgnored(t)),
                new Fault("close waits for a blocked send instead of waking it", "CLOSE-5", t -> closeWaitsForSend(t)),
                new Fault("SEND_TIMEOUT set after connect is ignored: only the one given to connect works", "OPT-5",
                        t -> setoptRemembered(t, option -> option == AtollOptions.SEND_TIMEOUT)),
                new Fault("an Atoll option set on one connection applies to every connection of the transport", "OPT-5",
                        t -> setoptOnAll(t, Faults::isAtollOption)),
                new Fault("SEND_TIMEOUT is kept for the whole transport, while getopt reads each connection's own",
                        "OPT-5", t -> sendTimeoutTransportWide(t)));
    }

    /**
     * One TLS fault: what it breaks, the rule that must catch it, and how to make the faulty
     * transport's factory from a correct one.
     *
     * @param description what is wrong
     * @param rule        the id of the rule that must fail
     * @param wrap        makes the faulty factory from a correct one
     */
    public record TlsFault(String description, String rule, UnaryOperator<TckSubject.SecureFactory> wrap) {
        @Override
        public String toString() {
            return description + " (" + rule + ")";
        }
    }

    /**
     * Every TLS fault.
     *
     * @return the faults
     */
    public static List<TlsFault> tls() {
        return List.of(
                new TlsFault("the client skips hostname verification", "TLS-7",
                        f -> config -> f.create(config.toBuilder().hostnameVerification(false).build())),
                new TlsFault("the server ignores the client-authentication setting", "TLS-5",
                        f -> config -> f.create(config.toBuilder().clientAuth(ClientAuth.NONE).build())),
                new TlsFault("negotiatedProtocol reports no ALPN result", "TLS-2",
                        f -> config -> noAlpnResult(f.create(config))),
                new TlsFault("shutdown(WRITE) drops close_notify and aborts", "TLS-8",
                        f -> config -> dropsCloseNotify(f.create(config))),
                new TlsFault("cancelHandshake sends nothing and leaves the connection open", "PAUSE-4",
                        f -> config -> cancelDoesNothing(f.create(config))),
                new TlsFault("only the first of the configured or default versions is enabled", "TLS-13",
                        f -> config -> f.create(config.toBuilder().protocols(config.protocols().get(0)).build())),
                new TlsFault("the ChaCha20-Poly1305 suites are left out", "TLS-13",
                        f -> config -> f.create(withoutSuites(config, "CHACHA20"))),
                new TlsFault("an RSA identity cannot be used over TLS 1.2 (only ECDSA suites)", "TLS-13",
                        f -> config -> f.create(withoutSuites(config, "_RSA_"))),
                new TlsFault("the handshake waits three times its timeout", "HANDSHAKE-2",
                        f -> config -> handshakeWaitsLonger(f.create(config))),
                new TlsFault("a handshake continued after clientHello waits three times its timeout", "HANDSHAKE-2",
                        f -> config -> continuedHandshakeWaitsLonger(f.create(config))),
                new TlsFault("a client's handshake waits three times its timeout", "HANDSHAKE-2",
                        f -> config -> clientHandshakeWaitsLonger(f.create(config))));
    }

    /**
     * A configuration offering its suites, or the JDK's default ones, but those whose names
     * contain {@code leftOut} and those of a version it does not enable.
     */
    private static dev.atoll.transport.tls.TlsConfig withoutSuites(dev.atoll.transport.tls.TlsConfig config, String leftOut) {
        try {
            List<String> suites = config.cipherSuites().orElse(List.of(
                    javax.net.ssl.SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites()));
            boolean tls12 = config.protocols().contains("TLSv1.2");
            boolean tls13 = config.protocols().contains("TLSv1.3");
            return config.toBuilder().cipherSuites(suites.stream().filter(suite -> !suite.contains(leftOut))
                    .filter(suite -> suite.contains("_WITH_") ? tls12 : tls13).toArray(String[]::new)).build();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    private static Duration threeTimes(Duration timeout) {
        return timeout.isZero() || timeout.compareTo(Duration.ofDays(1)) > 0 ? timeout : timeout.multipliedBy(3);
    }

    private static <S, L> Transport<S, L> handshakeWaitsLonger(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "handshake-waits-longer") {
            @Override
            public S handshake(S socket, Duration timeout) throws IOException {
                return delegate.handshake(socket, threeTimes(timeout));
            }
        };
    }

    private static <S, L> Transport<S, L> continuedHandshakeWaitsLonger(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "continued-handshake-waits-longer") {
            @Override
            public S handshake(S socket, dev.atoll.transport.tls.TlsConfig chosen, Duration timeout) throws IOException {
                return delegate.handshake(socket, chosen, threeTimes(timeout));
            }
        };
    }

    private static <S, L> Transport<S, L> clientHandshakeWaitsLonger(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "client-handshake-waits-longer") {
            private final java.util.Set<S> clients = java.util.concurrent.ConcurrentHashMap.newKeySet();

            @Override
            public S connect(InetSocketAddress remote, dev.atoll.transport.SocketOptions options, Duration timeout)
                    throws IOException {
                S socket = delegate.connect(remote, options, timeout);
                clients.add(socket);
                return socket;
            }

            @Override
            public S handshake(S socket, Duration timeout) throws IOException {
                return delegate.handshake(socket, clients.remove(socket) ? threeTimes(timeout) : timeout);
            }
        };
    }

    private static <S, L> Transport<S, L> cancelDoesNothing(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "cancel-does-nothing") {
            @Override
            public void cancelHandshake(S socket) {
            }
        };
    }

    private static Duration fiveTimes(Duration timeout) {
        return timeout.isZero() || timeout.compareTo(Duration.ofDays(1)) > 0 ? timeout : timeout.multipliedBy(5);
    }

    private static <S, L> Transport<S, L> recvWaitsLonger(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "recv-waits-longer") {
            @Override
            public ByteBuffer recv(S socket, int length, Duration timeout) throws IOException {
                return delegate.recv(socket, length, fiveTimes(timeout));
            }

            @Override
            public int recv(S socket, ByteBuffer dst, Duration timeout) throws IOException {
                return delegate.recv(socket, dst, fiveTimes(timeout));
            }
        };
    }

    private static <S, L> Transport<S, L> connectWaitsLonger(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "connect-waits-longer") {
            @Override
            public S connect(InetSocketAddress remote, dev.atoll.transport.SocketOptions options, Duration timeout)
                    throws IOException {
                return delegate.connect(remote, options, fiveTimes(timeout));
            }
        };
    }

    private static <S, L> Transport<S, L> recvAfterCloseEmpty(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "recv-after-close-empty") {
            @Override
            public ByteBuffer recv(S socket, int length, Duration timeout) throws IOException {
                try {
                    return delegate.recv(socket, length, timeout);
                } catch (dev.atoll.transport.ConnectionClosedException closed) {
                    return ByteBuffer.allocate(0);
                }
            }
        };
    }

    private static <S, L> Transport<S, L> closeWithoutDraining(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "close-without-draining") {
            @Override
            public void close(S socket) throws IOException {
                try {
                    delegate.shutdown(socket, ShutdownHow.WRITE);
                } catch (IOException alreadyClosedOrShut) {
                    // a second close
                }
                delegate.close(socket);   // with the output already shut, the close does not linger
            }
        };
    }

    private static boolean isAtollOption(SocketOption<?> option) {
        return option.name().startsWith("ATOLL_");
    }

    /** Options that {@code which} accepts, set on a live connection, are only remembered for getopt. */
    private static <S, L> Transport<S, L> setoptRemembered(Transport<S, L> t, Predicate<SocketOption<?>> which) {
        return new DelegatingTransport<>(t, "setopt-remembered") {
            private final java.util.Map<S, java.util.Map<SocketOption<?>, Object>> remembered =
                    java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

            @Override
            public <T> void setopt(S socket, SocketOption<T> option, T value) throws IOException {
                if (!which.test(option)) {
                    delegate.setopt(socket, option, value);
                    return;
                }
                delegate.getopt(socket, option);   // refuses what the transport does not support, as before
                remembered.computeIfAbsent(socket, s -> new java.util.concurrent.ConcurrentHashMap<>()).put(option, value);
            }

            @Override
            public <T> T getopt(S socket, SocketOption<T> option) throws IOException {
                T actual = delegate.getopt(socket, option);
                Object value = remembered.getOrDefault(socket, java.util.Map.of()).get(option);
                return value == null ? actual : option.type().cast(value);
            }
        };
    }

    /** Options that {@code which} accepts, set on one connection, are set on every open connection. */
    private static <S, L> Transport<S, L> setoptOnAll(Transport<S, L> t, Predicate<SocketOption<?>> which) {
        return new DelegatingTransport<>(t, "setopt-on-all") {
            private final java.util.Set<S> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

            @Override
            public S accept(L listener, Duration timeout) throws IOException {
                S s = delegate.accept(listener, timeout);
                open.add(s);
                return s;
            }

            @Override
            public S connect(InetSocketAddress remote, dev.atoll.transport.SocketOptions options, Duration timeout)
                    throws IOException {
                S s = delegate.connect(remote, options, timeout);
                open.add(s);
                return s;
            }

            @Override
            public <T> void setopt(S socket, SocketOption<T> option, T value) throws IOException {
                delegate.setopt(socket, option, value);
                if (!which.test(option)) {
                    return;
                }
                for (S other : open) {
                    try {
                        delegate.setopt(other, option, value);
                    } catch (IOException closed) {
                        open.remove(other);
                    }
                }
            }

            @Override
            public void close(S socket) throws IOException {
                open.remove(socket);
                delegate.close(socket);
            }
        };
    }

    /**
     * A send timeout set on any connection is kept in one field of the transport and limits the
     * sends of every connection; each connection's getopt still reads its own value.
     */
    private static <S, L> Transport<S, L> sendTimeoutTransportWide(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "send-timeout-transport-wide") {
            private volatile Duration sendTimeout = Transport.INFINITE;

            @Override
            public <T> void setopt(S socket, SocketOption<T> option, T value) throws IOException {
                delegate.setopt(socket, option, value);
                if (option == AtollOptions.SEND_TIMEOUT) {
                    sendTimeout = (Duration) value;
                }
            }

            @Override
            public void send(S socket, ByteBuffer... data) throws IOException {
                delegate.send(socket, sendTimeout, data);
            }
        };
    }

    private static <S, L> Transport<S, L> reusePortDropped(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "reuseport-dropped") {
            @Override
            public L listen(InetSocketAddress local, dev.atoll.transport.SocketOptions options) throws IOException {
                dev.atoll.transport.SocketOptions kept = dev.atoll.transport.SocketOptions.none();
                for (SocketOption<?> option : options.options()) {
                    if (option != StandardSocketOptions.SO_REUSEPORT) {
                        kept = with(kept, options, option);
                    }
                }
                return delegate.listen(local, kept);
            }
        };
    }

    private static <T> dev.atoll.transport.SocketOptions with(dev.atoll.transport.SocketOptions to,
                                                              dev.atoll.transport.SocketOptions from, SocketOption<T> option) {
        return to.with(option, from.get(option));
    }

    private static <S, L> Transport<S, L> listenerClosesAccepted(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "listener-closes-accepted") {
            private final java.util.Map<L, java.util.List<S>> accepted = new java.util.concurrent.ConcurrentHashMap<>();

            @Override
            public S accept(L listener, Duration timeout) throws IOException {
                S s = delegate.accept(listener, timeout);
                accepted.computeIfAbsent(listener, l -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(s);
                return s;
            }

            @Override
            public void closeListener(L listener) throws IOException {
                delegate.closeListener(listener);
                for (S s : accepted.getOrDefault(listener, java.util.List.of())) {
                    delegate.close(s);
                }
            }
        };
    }

    private static <S, L> Transport<S, L> bindsWildcard(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "binds-wildcard") {
            private final java.util.Map<L, java.net.InetAddress> asked = new java.util.concurrent.ConcurrentHashMap<>();

            @Override
            public L listen(InetSocketAddress local, dev.atoll.transport.SocketOptions options) throws IOException {
                L listener = delegate.listen(new InetSocketAddress(local.getPort()), options);
                asked.put(listener, local.getAddress());
                return listener;
            }

            @Override
            public InetSocketAddress listenerAddress(L listener) throws IOException {
                return new InetSocketAddress(asked.get(listener), delegate.listenerAddress(listener).getPort());
            }
        };
    }

    private static <S, L> Transport<S, L> probeIgnoresHeldBytes(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "probe-ignores-held") {
            private final java.util.Map<S, java.util.Deque<ByteBuffer>> handedBack = new java.util.concurrent.ConcurrentHashMap<>();

            @Override
            public void unrecv(S socket, ByteBuffer bytes) {
                ByteBuffer copy = ByteBuffer.allocate(bytes.remaining()).put(bytes).flip();
                handedBack.computeIfAbsent(socket, s -> new java.util.concurrent.ConcurrentLinkedDeque<>()).push(copy);
            }

            /** Hands the kept bytes to the transport before a receive that may wait, but not before a probe. */
            private void release(S socket, Duration timeout) throws IOException {
                java.util.Deque<ByteBuffer> kept = handedBack.get(socket);
                if (timeout.isZero() || kept == null) {
                    return;
                }
                java.util.Iterator<ByteBuffer> oldestFirst = kept.descendingIterator();
                while (oldestFirst.hasNext()) {
                    delegate.unrecv(socket, oldestFirst.next());
                    oldestFirst.remove();
                }
            }

            @Override
            public ByteBuffer recv(S socket, int length, Duration timeout) throws IOException {
                release(socket, timeout);
                return delegate.recv(socket, length, timeout);
            }

            @Override
            public int recv(S socket, ByteBuffer dst, Duration timeout) throws IOException {
                release(socket, timeout);
                return delegate.recv(socket, dst, timeout);
            }
        };
    }

    private static <S, L> Transport<S, L> timeoutsCounted(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "timeouts-counted") {
            private final java.util.Map<S, java.util.concurrent.atomic.AtomicLong> timeouts =
                    new java.util.concurrent.ConcurrentHashMap<>();

            @Override
            public ByteBuffer recv(S socket, int length, Duration timeout) throws IOException {
                try {
                    return delegate.recv(socket, length, timeout);
                } catch (SocketTimeoutException e) {
                    timeouts.computeIfAbsent(socket, s -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
                    throw e;
                }
            }

            @Override
            public SocketStats getstat(S socket) throws IOException {
                SocketStats s = delegate.getstat(socket);
                long extra = timeouts.getOrDefault(socket, new java.util.concurrent.atomic.AtomicLong()).get();
                return new SocketStats(s.recvOctets(), s.recvCalls() + extra, s.recvMax(), s.sendOctets(), s.sendCalls(),
                        s.sendMax());
            }
        };
    }

    private static <S, L> Transport<S, L> anonymousTimeout(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "anonymous-timeout") {
            @Override
            public ByteBuffer recv(S socket, int length, Duration timeout) throws IOException {
                try {
                    return delegate.recv(socket, length, timeout);
                } catch (SocketTimeoutException e) {
                    throw new SocketTimeoutException("recv: timed out");
                }
            }
        };
    }

    private static <S, L> Transport<S, L> noAlpnResult(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "no-alpn") {
            @Override
            public Optional<String> negotiatedProtocol(S socket) {
                return Optional.empty();
            }
        };
    }

    private static <S, L> Transport<S, L> dropsCloseNotify(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "no-close-notify") {
            @Override
            public void shutdown(S socket, ShutdownHow how) throws IOException {
                if (how == ShutdownHow.READ) {
                    delegate.shutdown(socket, how);
                    return;
                }
                delegate.setopt(socket, StandardSocketOptions.SO_LINGER, 0);
                delegate.close(socket);
            }
        };
    }

    private static <S, L> Transport<S, L> extraByte(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "extra-byte") {
            @Override
            public ByteBuffer recv(S socket, int length, Duration timeout) throws IOException {
                ByteBuffer got = delegate.recv(socket, length, timeout);
                if (length == 0) {
                    return got;
                }
                return ByteBuffer.allocate(got.remaining() + 1).put(got).put((byte) 0).flip();
            }
        };
    }

    private static <S, L> Transport<S, L> dropsLastByte(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "drops-byte") {
            @Override
            public void send(S socket, ByteBuffer... data) throws IOException {
                ByteBuffer last = data[data.length - 1];
                if (last.hasRemaining()) {
                    last.limit(last.limit() - 1);
                }
                delegate.send(socket, data);
                last.limit(last.capacity() > last.limit() ? last.limit() + 1 : last.limit()).position(last.limit());
            }
        };
    }

    private static <S, L> Transport<S, L> firstBufferOnly(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "first-buffer") {
            @Override
            public void send(S socket, ByteBuffer... data) throws IOException {
                delegate.send(socket, data[0]);
                for (ByteBuffer b : data) {
                    b.position(b.limit());
                }
            }
        };
    }

    private static <S, L> Transport<S, L> closeAborts(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "abortive-close") {
            @Override
            public void close(S socket) throws IOException {
                try {
                    t.setopt(socket, java.net.StandardSocketOptions.SO_LINGER, 0);
                } catch (IOException alreadyClosed) {
                    // a second close: the first one aborted
                }
                t.close(socket);
            }
        };
    }

    private static <S, L> Transport<S, L> shutdownIgnored(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "no-shutdown") {
            @Override
            public void shutdown(S socket, ShutdownHow how) {
            }
        };
    }

    private static <S, L> Transport<S, L> shutdownReadLeavesReceiverBlocked(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "shutdown-read-later") {
            private final java.util.Set<S> inputShutDown = java.util.concurrent.ConcurrentHashMap.newKeySet();

            @Override
            public void shutdown(S socket, ShutdownHow how) throws IOException {
                if (how == ShutdownHow.READ) {
                    inputShutDown.add(socket);
                } else {
                    delegate.shutdown(socket, how);
                }
            }

            @Override
            public ByteBuffer recv(S socket, int length, Duration timeout) throws IOException {
                if (inputShutDown.contains(socket)) {
                    throw new EndOfStreamException("recv: input shut down", ByteBuffer.allocate(0));
                }
                return delegate.recv(socket, length, timeout);
            }
        };
    }

    private static <S, L> Transport<S, L> timeoutIgnored(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "no-timeout") {
            @Override
            public ByteBuffer recv(S socket, int length, Duration timeout) throws IOException {
                return delegate.recv(socket, length, timeout.isZero() ? timeout : Transport.INFINITE);
            }
        };
    }

    private static <S, L> Transport<S, L> probeWaits(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "probe-waits") {
            @Override
            public ByteBuffer recv(S socket, int length, Duration timeout) throws IOException {
                return delegate.recv(socket, length, timeout.isZero() ? Duration.ofSeconds(1) : timeout);
            }
        };
    }

    private static <S, L> Transport<S, L> endAsTimeout(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "end-as-timeout") {
            @Override
            public ByteBuffer recv(S socket, int length, Duration timeout) throws IOException {
                try {
                    return delegate.recv(socket, length, timeout);
                } catch (EndOfStreamException e) {
                    throw new SocketTimeoutException("recv: timed out");
                }
            }
        };
    }

    private static <S, L> Transport<S, L> resetAsEnd(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "reset-as-end") {
            @Override
            public ByteBuffer recv(S socket, int length, Duration timeout) throws IOException {
                try {
                    return delegate.recv(socket, length, timeout);
                } catch (SocketTimeoutException | EndOfStreamException e) {
                    throw e;
                } catch (IOException e) {
                    throw new EndOfStreamException("recv: end of stream", ByteBuffer.allocate(0));
                }
            }
        };
    }

    private static <S, L> Transport<S, L> statsMiscount(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "miscount") {
            @Override
            public SocketStats getstat(S socket) throws IOException {
                SocketStats s = delegate.getstat(socket);
                long extra = s.sendCalls() > 0 ? 1 : 0;
                return new SocketStats(s.recvOctets(), s.recvCalls(), s.recvMax(), s.sendOctets() + extra, s.sendCalls(), s.sendMax());
            }
        };
    }

    private static <S, L> Transport<S, L> closeLeaks(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "leaky-close") {
            @Override
            public void close(S socket) {
                try {
                    delegate.shutdown(socket, ShutdownHow.BOTH);
                } catch (IOException alreadyShut) {
                    // a second close: the fault is that the descriptor stays open
                }
            }
        };
    }

    private static <S, L> Transport<S, L> peernameIsLocal(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "wrong-peername") {
            @Override
            public InetSocketAddress peername(S socket) throws IOException {
                return delegate.sockname(socket);
            }
        };
    }

    private static <S, L> Transport<S, L> setoptIgnored(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "setopt-ignored") {
            @Override
            public <T> void setopt(S socket, SocketOption<T> option, T value) {
            }
        };
    }

    private static <S, L> Transport<S, L> sendfileFromStart(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "sendfile-offset") {
            @Override
            public long sendfile(S socket, Path path, long offset, long length) throws IOException {
                return delegate.sendfile(socket, path, 0, length == 0 ? 0 : length);
            }
        };
    }

    private static <S, L> Transport<S, L> anonymousRefusal(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "anonymous-refusal") {
            @Override
            public S connect(InetSocketAddress remote, dev.atoll.transport.SocketOptions options, Duration timeout)
                    throws IOException {
                try {
                    return delegate.connect(remote, options, timeout);
                } catch (ConnectException e) {
                    throw new ConnectException("Connection refused");
                }
            }
        };
    }

    private static <S, L> Transport<S, L> closeWithoutLinger(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "no-linger") {
            @Override
            public void close(S socket) throws IOException {
                try {
                    t.setopt(socket, dev.atoll.transport.AtollOptions.CLOSE_LINGER, Duration.ZERO);
                } catch (IOException | RuntimeException alreadyClosedOrUnsupported) {
                    // a second close, or a transport that always closes at once
                }
                t.close(socket);
            }
        };
    }

    private static <S, L> Transport<S, L> allocatesAskedLength(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "allocates-length") {
            @Override
            public ByteBuffer recv(S socket, int length, Duration timeout) throws IOException {
                ByteBuffer whole = ByteBuffer.allocate(length);
                ByteBuffer got = delegate.recv(socket, length, timeout);
                return whole.put(got).flip();
            }
        };
    }

    private static <S, L> Transport<S, L> unrecvDrops(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "unrecv-drops") {
            @Override
            public void unrecv(S socket, ByteBuffer bytes) {
                bytes.position(bytes.limit());
            }
        };
    }

    private static <S, L> Transport<S, L> recvIntoKeepsPosition(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "recv-into-position") {
            @Override
            public int recv(S socket, ByteBuffer dst, Duration timeout) throws IOException {
                int position = dst.position();
                int n = delegate.recv(socket, dst, timeout);
                dst.position(position);
                return n;
            }
        };
    }

    private static <S, L> Transport<S, L> interruptIgnored(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "interrupt-ignored") {
            @Override
            public ByteBuffer recv(S socket, int length, Duration timeout) throws IOException {
                boolean interrupted = Thread.interrupted();
                try {
                    return delegate.recv(socket, length, timeout);
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
    }

    private static <S, L> Transport<S, L> watcherPerConnection(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "thread-per-connection") {
            @Override
            public S connect(InetSocketAddress remote, dev.atoll.transport.SocketOptions options, Duration timeout)
                    throws IOException {
                return watched(delegate.connect(remote, options, timeout));
            }

            @Override
            public S accept(L listener, Duration timeout) throws IOException {
                return watched(delegate.accept(listener, timeout));
            }

            private S watched(S socket) {
                Thread.ofVirtual().name("idle-watcher").start(() -> {
                    try {
                        while (true) {
                            Thread.sleep(1_000);
                        }
                    } catch (InterruptedException stopped) {
                        // never interrupted: the fault is that nothing stops it
                    }
                });
                return socket;
            }
        };
    }

    private static <S, L> Transport<S, L> poolPerListener(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "pool-per-listener") {
            @Override
            public L listen(InetSocketAddress local, dev.atoll.transport.SocketOptions options) throws IOException {
                java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(2);
                for (int i = 0; i < 2; i++) {
                    pool.execute(() -> { });
                }
                return delegate.listen(local, options);
            }
        };
    }

    private static <S, L> Transport<S, L> recvSpins(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "recv-spins") {
            @Override
            public ByteBuffer recv(S socket, int length, Duration timeout) throws IOException {
                long start = System.nanoTime();
                long spin = timeout.compareTo(Duration.ofMillis(20)) < 0 ? timeout.toNanos() : 20_000_000;
                while (System.nanoTime() - start < spin) {
                    Thread.onSpinWait();
                }
                Duration left = timeout.compareTo(Transport.INFINITE) >= 0 ? timeout : timeout.minusNanos(spin);
                return delegate.recv(socket, length, left);
            }
        };
    }

    private static <S, L> Transport<S, L> recvSynchronized(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "recv-synchronized") {
            @Override
            public ByteBuffer recv(S socket, int length, Duration timeout) throws IOException {
                synchronized (socket) {
                    return delegate.recv(socket, length, timeout);
                }
            }
        };
    }

    private static <S, L> Transport<S, L> sendLimitIgnored(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "send-limit-ignored") {
            @Override
            public void send(S socket, Duration timeout, ByteBuffer... data) throws IOException {
                delegate.send(socket, Transport.INFINITE, data);
            }
        };
    }

    private static <S, L> Transport<S, L> timeoutCloseIgnored(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "timeout-close-ignored") {
            @Override
            public <T> void setopt(S socket, SocketOption<T> option, T value) throws IOException {
                if (option != dev.atoll.transport.AtollOptions.SEND_TIMEOUT_CLOSE) {
                    delegate.setopt(socket, option, value);
                }
            }
        };
    }

    private static <S, L> Transport<S, L> closeWaitsForSend(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "close-waits-for-send") {
            private final java.util.concurrent.atomic.AtomicInteger sending = new java.util.concurrent.atomic.AtomicInteger();

            @Override
            public void send(S socket, Duration timeout, ByteBuffer... data) throws IOException {
                sending.incrementAndGet();
                try {
                    delegate.send(socket, timeout, data);
                } finally {
                    sending.decrementAndGet();
                }
            }

            @Override
            public void close(S socket) throws IOException {
                try {
                    for (int i = 0; i < 50 && sending.get() > 0; i++) {
                        Thread.sleep(100);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                delegate.close(socket);
            }
        };
    }

    private static <S, L> Transport<S, L> acceptsEagerly(Transport<S, L> t) {
        return new DelegatingTransport<>(t, "eager-accept") {
            private final java.util.Map<L, java.util.concurrent.BlockingQueue<S>> queues =
                    new java.util.concurrent.ConcurrentHashMap<>();

            @Override
            public L listen(InetSocketAddress local, dev.atoll.transport.SocketOptions options) throws IOException {
                L listener = delegate.listen(local, options);
                java.util.concurrent.BlockingQueue<S> queue = new java.util.concurrent.LinkedBlockingQueue<>();
                queues.put(listener, queue);
                Thread.ofVirtual().start(() -> {
                    try {
                        while (true) {
                            queue.add(delegate.accept(listener, Transport.INFINITE));
                        }
                    } catch (IOException listenerClosed) {
                        // the listener closed: what it holds is closed with it
                    }
                });
                return listener;
            }

            @Override
            public S accept(L listener, Duration timeout) throws IOException {
                try {
                    S next = queues.get(listener).poll(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
                    if (next == null) {
                        throw new SocketTimeoutException("accept: no connection within " + timeout);
                    }
                    return next;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("accept: interrupted");
                }
            }

            @Override
            public void closeListener(L listener) throws IOException {
                delegate.closeListener(listener);
                java.util.concurrent.BlockingQueue<S> queue = queues.remove(listener);
                S held;
                while (queue != null && (held = queue.poll()) != null) {
                    delegate.close(held);
                }
            }
        };
    }
}
