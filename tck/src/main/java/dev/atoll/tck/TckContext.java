package dev.atoll.tck;

import dev.atoll.transport.Connection;
import dev.atoll.transport.Listener;
import dev.atoll.transport.SocketOptions;
import dev.atoll.transport.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * What a rule's check works with: the transport under test, ways to connect it to peers, and
 * assertions whose failures name the rule, the transport and the topology. Every socket and
 * file a check opens through this context is closed when the check ends, whatever happens.
 */
public final class TckContext {

    /**
     * The longest a peer waits for one read: 30 s, or the system property
     * {@code atoll.tck.io-timeout-seconds}. A transport that loses bytes is caught only when
     * this passes, so a suite of faulty transports runs faster with a shorter one.
     */
    public static final Duration IO_TIMEOUT = Duration.ofSeconds(Long.getLong("atoll.tck.io-timeout-seconds", 30));

    /**
     * The longest an operation that should end at once or after a short timeout may take before
     * the rule fails: 10 s, or {@link #IO_TIMEOUT} if that is shorter.
     */
    public static final Duration SHORT_LIMIT = IO_TIMEOUT.compareTo(Duration.ofSeconds(10)) < 0 ? IO_TIMEOUT
            : Duration.ofSeconds(10);

    /** The longest one check may take before it is stopped and failed. */
    public static final Duration RULE_LIMIT = Duration.ofSeconds(120);

    /**
     * How much later than its timeout a call that times out may end: honest on a loaded
     * two-core machine, far from "waits several times as long". A call that ends later is tried
     * once more before the rule fails (see {@link #requireTimesOut}).
     */
    public static final Duration LATE = Duration.ofMillis(700);

    /** Loopback over IPv4. */
    public static final InetAddress LOOPBACK_V4 = InetAddress.getLoopbackAddress();

    private final TckSubject subject;
    private final Transport<?, ?> transport;
    private final Rule rule;
    private final long seed;
    private final Random random;
    private final Deque<AutoCloseable> resources = new ConcurrentLinkedDeque<>();
    private final Deque<Path> files = new ConcurrentLinkedDeque<>();
    private volatile String where = "";
    private final boolean firstFailureEnough;

    /**
     * The context of one rule in a run.
     *
     * @param seed the run's seed, which failures print; the rule's random source is made from
     *             it and the rule's id, so that rules draw different data and a run started
     *             with the printed seed draws the same
     * @param firstFailureEnough whether a rule may stop at its first failing topology (the
     *             fault self-test, which only asks whether the rule fails)
     */
    TckContext(TckSubject subject, Transport<?, ?> transport, Rule rule, long seed, boolean firstFailureEnough) {
        this.firstFailureEnough = firstFailureEnough;
        this.subject = subject;
        this.transport = transport;
        this.rule = rule;
        this.seed = seed;
        this.random = new Random(seed ^ rule.id().hashCode());
    }

    /**
     * The transport under test.
     *
     * @return the transport under test
     */
    public Transport<?, ?> transport() {
        return transport;
    }

    /**
     * The subject: the transport's name and claims.
     *
     * @return the subject: the transport's name and claims
     */
    public TckSubject subject() {
        return subject;
    }

    /**
     * The rule's random source, made from the run's seed and the rule's id; failures print the
     * run's seed, which repeats the data when passed back as {@code atoll.tck.seed}.
     *
     * @return the rule's random source
     */
    public Random random() {
        return random;
    }

    // --- connections

    /**
     * Opens a listener of the transport under test on IPv4 loopback, any port.
     *
     * @return the listener, closed when the check ends
     * @throws IOException when listening fails
     */
    public Listener listen() throws IOException {
        return listen(new InetSocketAddress(LOOPBACK_V4, 0));
    }

    /**
     * Opens a listener of the transport under test.
     *
     * @param local where to listen
     * @return the listener, closed when the check ends
     * @throws IOException when listening fails
     */
    public Listener listen(InetSocketAddress local) throws IOException {
        return listen(local, SocketOptions.none());
    }

    /**
     * Opens a listener of the transport under test with listener options.
     *
     * @param local   where to listen
     * @param options listener options, such as {@link dev.atoll.transport.AtollOptions#BACKLOG}
     * @return the listener, closed when the check ends
     * @throws IOException when listening fails
     */
    public Listener listen(InetSocketAddress local, SocketOptions options) throws IOException {
        return track(Listener.open(transport, local, options));
    }

    /**
     * Connects the transport under test.
     *
     * @param remote  where to
     * @param options options to apply
     * @return the connection, closed when the check ends
     * @throws IOException when connecting fails
     */
    public Connection connect(InetSocketAddress remote, SocketOptions options) throws IOException {
        return track(Connection.connect(transport, remote, options, IO_TIMEOUT));
    }

    /**
     * Accepts one connection within {@link #IO_TIMEOUT}, without a handshake.
     *
     * @param listener the listener
     * @return the connection, closed when the check ends
     * @throws IOException when accepting fails
     */
    public Connection accept(Listener listener) throws IOException {
        return track(listener.accept(IO_TIMEOUT));
    }

    /**
     * Whether the transport under test is secure, so that the reference peers speak TLS.
     *
     * @return {@code true} for a secure subject
     */
    public boolean secure() {
        return subject.tls() != null;
    }

    /**
     * A reference client connected to {@code remote}: a JDK socket, a JDK TLS socket (layered
     * over a plain one, hostname verification on) for a secure subject.
     *
     * @param remote where to connect
     * @return the socket, closed when the check ends
     * @throws IOException when it cannot connect
     */
    public Socket jdkClient(InetSocketAddress remote) throws IOException {
        Socket raw = jdkClientPlain(remote);
        return secure() ? layer(raw, true, null) : raw;
    }

    /**
     * Layers a JDK TLS socket over a plain one; when the check ends the plain socket closes
     * first, so the TLS socket's close does not wait for a close_notify that may never come.
     *
     * @param raw     the connected plain socket
     * @param client  {@code true} for the client side
     * @param context the JDK context, or {@code null} for the reference peer's
     * @return the TLS socket, closed when the check ends
     * @throws IOException when it cannot be layered
     */
    public SSLSocket layer(Socket raw, boolean client, SSLContext context) throws IOException {
        SSLSocket tls = TckTls.layer(raw, client, context);
        track(() -> {
            raw.close();
            tls.close();
        });
        return tls;
    }

    /**
     * A plain JDK client connected to {@code remote}, whatever the subject: for checks that
     * send what they like (nothing, garbage, a hand-made ClientHello).
     *
     * @param remote where to connect
     * @return the socket, closed when the check ends
     * @throws IOException when it cannot connect
     */
    public Socket jdkClientPlain(InetSocketAddress remote) throws IOException {
        Socket raw = track(new Socket());
        raw.connect(remote, (int) IO_TIMEOUT.toMillis());
        raw.setSoTimeout((int) IO_TIMEOUT.toMillis());
        return raw;
    }

    /**
     * Accepts on a reference server socket from {@link #jdkServer()}: a JDK socket, layered with
     * JDK TLS (server side, the server certificate) for a secure subject.
     *
     * @param server the server socket
     * @return the accepted socket, closed when the check ends
     * @throws IOException when accepting fails
     */
    public Socket jdkAccept(ServerSocket server) throws IOException {
        Socket raw = track(server.accept());
        raw.setSoTimeout((int) IO_TIMEOUT.toMillis());
        return secure() ? layer(raw, false, null) : raw;
    }

    /**
     * A connection of the transport under test and a peer, set up as the topology says.
     *
     * @param topology the arrangement
     * @return the pair, closed when the check ends
     * @throws Exception when setting up fails
     */
    public Pair pair(Topology topology) throws Exception {
        return pair(topology, new InetSocketAddress(LOOPBACK_V4, 0));
    }

    /**
     * A pair on a chosen local address (IPv4 or IPv6 loopback).
     *
     * @param topology the arrangement
     * @param local    the listening address, port 0
     * @return the pair, closed when the check ends
     * @throws Exception when setting up fails
     */
    public Pair pair(Topology topology, InetSocketAddress local) throws Exception {
        String name = transport.name();
        switch (topology) {
            case SUBJECT_SERVER -> {
                return pairAccepted(listen(local));
            }
            case SUBJECT_CLIENT -> {
                ServerSocket server = track(new ServerSocket(0, 50, local.getAddress()));
                server.setSoTimeout((int) IO_TIMEOUT.toMillis());
                Connection connected = connect((InetSocketAddress) server.getLocalSocketAddress(), SocketOptions.none());
                Socket accepted = jdkAccept(server);
                return handshaken(connected, new JdkSocketPeer(accepted, "JDK server"), topology);
            }
            case SUBJECT_BOTH -> {
                Listener listener = listen(local);
                Connection client = connect(listener.address(), SocketOptions.none());
                Connection accepted = accept(listener);
                var clientSide = background("own client handshake", () -> client.handshake(IO_TIMEOUT));
                Connection server = accepted.handshake(IO_TIMEOUT);
                return new Pair(server, track(new ConnectionPeer(clientSide.join(), name + " client")), topology);
            }
            default -> throw new AssertionError(topology);
        }
    }

    /**
     * A reference client connected to a listener of the transport under test, paired with the
     * connection the listener accepted (handshaken, for a secure subject).
     *
     * @param listener the listener
     * @return the pair, closed when the check ends
     * @throws Exception when setting up fails
     */
    public Pair pairAccepted(Listener listener) throws Exception {
        Socket client = jdkClient(listener.address());
        Connection accepted = accept(listener);
        return handshaken(accepted, new JdkSocketPeer(client, "JDK client"), Topology.SUBJECT_SERVER);
    }

    /** Runs both ends' handshakes at once (a JDK TLS socket's on its own thread) and pairs them. */
    private Pair handshaken(Connection subjectEnd, JdkSocketPeer peer, Topology topology) throws Exception {
        track(peer);
        var peerSide = background("JDK handshake", () -> {
            peer.handshake();
            return null;
        });
        Connection ready = subjectEnd.handshake(IO_TIMEOUT);
        peerSide.join();
        return new Pair(ready, peer, topology);
    }

    /** A check of one pair. */
    @FunctionalInterface
    public interface PairCheck {
        /**
         * Checks one pair.
         *
         * @param pair the pair to check
         * @throws Exception any failure
         */
        void run(Pair pair) throws Exception;
    }

    /**
     * Runs a check in every topology, each on fresh connections. A failure in one topology
     * does not stop the others; all failures are reported together.
     *
     * @param check the check
     * @throws Exception the failures, combined
     */
    public void inEveryTopology(PairCheck check) throws Exception {
        inEveryTopology(new InetSocketAddress(LOOPBACK_V4, 0), check);
    }

    /**
     * {@link #inEveryTopology(PairCheck)} with the listening side on a chosen address.
     *
     * @param local the listening address, port 0
     * @param check the check
     * @throws Exception the failures, combined
     */
    public void inEveryTopology(InetSocketAddress local, PairCheck check) throws Exception {
        inTopologies(List.of(Topology.values()), topology -> check.run(pair(topology, local)));
    }

    /**
     * A connection of the transport under test made and used through the SPI itself (see
     * {@link SpiConnection}), handshaken, with a JDK peer at the other end.
     *
     * @param subject  the transport's end
     * @param peer     the JDK peer
     * @param topology {@link Topology#SUBJECT_SERVER} or {@link Topology#SUBJECT_CLIENT}
     */
    public record SpiPair(SpiConnection<?> subject, Peer peer, Topology topology) {
    }

    /** A check of one {@link SpiPair}. */
    @FunctionalInterface
    public interface SpiPairCheck {
        /**
         * Checks one pair.
         *
         * @param pair the pair to check
         * @throws Exception any failure
         */
        void run(SpiPair pair) throws Exception;
    }

    /**
     * Runs a check on a fresh {@link SpiPair} with the transport as server and as client of a
     * JDK peer; failures are reported together as {@link #inEveryTopology(PairCheck)} does.
     *
     * @param check the check
     * @throws Exception the failures, combined
     */
    public void againstJdkPeerThroughSpi(SpiPairCheck check) throws Exception {
        inTopologies(List.of(Topology.SUBJECT_SERVER, Topology.SUBJECT_CLIENT),
                topology -> check.run(spiPair(topology, transport)));
    }

    /**
     * An {@link SpiPair} in one of the two topologies with a JDK peer.
     *
     * @param topology {@link Topology#SUBJECT_SERVER} or {@link Topology#SUBJECT_CLIENT}
     * @return the pair, closed when the check ends
     * @throws Exception when setting up fails
     */
    public SpiPair spiPair(Topology topology) throws Exception {
        return spiPair(topology, transport);
    }

    private <S, L> SpiPair spiPair(Topology topology, Transport<S, L> t) throws Exception {
        InetSocketAddress any = new InetSocketAddress(LOOPBACK_V4, 0);
        S handle;
        JdkSocketPeer peer;
        switch (topology) {
            case SUBJECT_SERVER -> {
                L listener = t.listen(any, SocketOptions.none());
                track(() -> t.closeListener(listener));
                Socket client = jdkClient(t.listenerAddress(listener));
                handle = t.accept(listener, IO_TIMEOUT);
                peer = new JdkSocketPeer(client, "JDK client");
            }
            case SUBJECT_CLIENT -> {
                ServerSocket server = jdkServer();
                handle = t.connect((InetSocketAddress) server.getLocalSocketAddress(), SocketOptions.none(), IO_TIMEOUT);
                peer = new JdkSocketPeer(jdkAccept(server), "JDK server");
            }
            default -> throw new IllegalArgumentException("an SPI pair has a JDK peer, not " + topology);
        }
        S accepted = handle;
        track(() -> t.close(accepted));
        track(peer);
        var peerSide = background("JDK handshake", () -> {
            peer.handshake();
            return null;
        });
        S ready = t.handshake(handle, IO_TIMEOUT);
        peerSide.join();
        return new SpiPair(track(new SpiConnection<>(t, ready)), peer, topology);
    }

    /** A check of one topology. */
    @FunctionalInterface
    private interface TopologyCheck {
        void run(Topology topology) throws Exception;
    }

    private void inTopologies(List<Topology> topologies, TopologyCheck check) throws Exception {
        List<Throwable> failures = new ArrayList<>();
        for (Topology topology : topologies) {
            where = " (" + topology.description() + ")";
            try {
                check.run(topology);
            } catch (RuleSkipped skipped) {
                throw skipped;
            } catch (Throwable t) {
                failures.add(t instanceof RuleViolation ? t : violation("unexpected " + describe(t), t));
            } finally {
                closeAll();
                where = "";
            }
            if (firstFailureEnough && !failures.isEmpty()) {
                break;
            }
        }
        if (failures.size() == 1) {
            throw rethrowable(failures.get(0));
        }
        if (!failures.isEmpty()) {
            StringBuilder sb = new StringBuilder("[" + rule.id() + "] " + transport.name() + " fails in "
                    + failures.size() + " topologies:");
            failures.forEach(f -> sb.append("\n  ").append(f.getMessage()));
            RuleViolation combined = new RuleViolation(sb.toString(), failures.get(0));
            failures.stream().skip(1).forEach(combined::addSuppressed);
            throw combined;
        }
    }

    private static Exception rethrowable(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        return (Exception) t;
    }

    /**
     * A JDK server socket on IPv4 loopback, for checks that need a reference server.
     *
     * @return the server socket, closed when the check ends
     * @throws IOException when it cannot be opened
     */
    public ServerSocket jdkServer() throws IOException {
        // Plain: jdkAccept layers TLS on what it accepts when the subject is secure.
        ServerSocket server = track(new ServerSocket(0, 50, LOOPBACK_V4));
        server.setSoTimeout((int) IO_TIMEOUT.toMillis());
        return server;
    }

    /**
     * Registers something to close when the check ends.
     *
     * @param resource the resource
     * @param <T>      its type
     * @return the resource
     */
    public <T extends AutoCloseable> T track(T resource) {
        resources.push(resource);
        return resource;
    }

    void cleanUp() {
        closeAll();
        Path file;
        while ((file = files.poll()) != null) {
            try {
                if (Files.isDirectory(file)) {
                    try (var inside = Files.list(file)) {
                        for (Path p : (Iterable<Path>) inside::iterator) {
                            Files.deleteIfExists(p);
                        }
                    }
                }
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file that cannot be deleted is left to the system
            }
        }
    }

    void closeAll() {
        AutoCloseable r;
        while ((r = resources.poll()) != null) {
            try {
                r.close();
            } catch (Exception ignored) {
                // closing what a failed check left open; the failure is already reported
            }
        }
    }

    // --- time limits

    /**
     * Work that returns a value and may throw.
     *
     * @param <T> the result type
     */
    @FunctionalInterface
    public interface Work<T> {
        /**
         * Does the work.
         *
         * @return the result
         * @throws Exception any failure
         */
        T call() throws Exception;
    }

    /**
     * Runs work on a virtual thread and waits at most {@code limit} for it. When the limit
     * passes, every resource of the check is closed (which wakes the work) and the rule fails
     * saying what did not finish.
     *
     * @param limit how long the work may take
     * @param what  the work in words, for the failure ("recv with a 200 ms timeout")
     * @param work  the work
     * @param <T>   its result type
     * @return the work's result
     * @throws Exception what the work threw
     */
    public <T> T within(Duration limit, String what, Work<T> work) throws Exception {
        FutureTask<T> task = new FutureTask<>(work::call);
        Thread thread = Thread.ofVirtual().name("tck-" + rule.id()).start(task);
        try {
            return task.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            closeAll();
            thread.interrupt();
            thread.join(IO_TIMEOUT.toMillis());
            throw violation(what + " did not finish within " + limit.toMillis() + " ms", null);
        } catch (ExecutionException e) {
            throw rethrowable(e.getCause());
        }
    }

    /**
     * Starts work on a virtual thread; {@link Background#join} waits for it within a limit.
     *
     * @param what the work in words
     * @param work the work
     * @param <T>  its result type
     * @return a handle on the work
     */
    public <T> Background<T> background(String what, Work<T> work) {
        FutureTask<T> task = new FutureTask<>(work::call);
        Thread.ofVirtual().name("tck-" + rule.id() + "-" + what).start(task);
        return new Background<>(this, what, task);
    }

    /**
     * Work running on its own virtual thread.
     *
     * @param <T> its result type
     */
    public static final class Background<T> {
        private final TckContext tck;
        private final String what;
        private final FutureTask<T> task;

        Background(TckContext tck, String what, FutureTask<T> task) {
            this.tck = tck;
            this.what = what;
            this.task = task;
        }

        /**
         * Waits for the work, at most {@link TckContext#RULE_LIMIT}.
         *
         * @return its result
         * @throws Exception what the work threw, or a violation when it did not finish
         */
        public T join() throws Exception {
            try {
                return task.get(RULE_LIMIT.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                tck.closeAll();
                throw tck.violation(what + " did not finish within " + RULE_LIMIT.toSeconds() + " s", null);
            } catch (ExecutionException e) {
                throw rethrowable(e.getCause());
            }
        }
    }

    // --- data

    /**
     * Random bytes from the rule's seeded source.
     *
     * @param n how many
     * @return the bytes
     */
    public byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /**
     * A temporary file holding the bytes, deleted when the check ends.
     *
     * @param content the bytes
     * @return the file
     * @throws IOException when it cannot be written
     */
    public Path tempFile(byte[] content) throws IOException {
        Path file = Files.createTempFile("atoll-tck-", ".bin");
        files.push(file);
        Files.write(file, content);
        return file;
    }

    /**
     * A temporary directory, deleted with what it holds when the check ends.
     *
     * @return the directory
     * @throws IOException when it cannot be made
     */
    public Path tempDirectory() throws IOException {
        Path dir = Files.createTempDirectory("atoll-tck-");
        files.push(dir);
        return dir;
    }

    /**
     * A temporary file of {@code size} random bytes written in blocks, deleted when the check
     * ends; for files too large to hold in memory.
     *
     * @param size   the file's size
     * @param digest receives every byte written, so the reader's digest can be compared
     * @return the file
     * @throws IOException when it cannot be written
     */
    public Path largeTempFile(long size, MessageDigest digest) throws IOException {
        Path file = Files.createTempFile("atoll-tck-", ".bin");
        files.push(file);
        byte[] block = new byte[1 << 20];
        try (var out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                int n = (int) Math.min(block.length, size - written);
                out.write(block, 0, n);
                digest.update(block, 0, n);
            }
        }
        return file;
    }

    /**
     * The SHA-256 of bytes, in hex, for messages that compare large transfers.
     *
     * @param data the bytes
     * @return the digest
     */
    public static String sha256(byte[] data) {
        return HexFormat.of().formatHex(Transfer.sha256().digest(data));
    }

    // --- assertions

    /**
     * A violation of the current rule, naming it, the transport and the topology.
     *
     * @param message what was expected and what happened
     * @param cause   the transport's exception, if any
     * @return the violation, to throw
     */
    public RuleViolation violation(String message, Throwable cause) {
        return new RuleViolation("[" + rule.id() + "] " + transport.name() + where + ": " + message
                + " (seed " + seed + ": -D" + TckRun.SEED_PROPERTY + "=" + seed + " repeats it)", cause);
    }

    /**
     * Fails the rule unless the condition holds.
     *
     * @param condition what must hold
     * @param message   what was expected, and what happened
     */
    public void require(boolean condition, String message) {
        if (!condition) {
            throw violation(message, null);
        }
    }

    /**
     * Fails the rule unless two byte arrays are equal; large arrays are compared by digest and
     * first difference.
     *
     * @param expected what was sent
     * @param actual   what arrived
     * @param what     the data in words
     */
    public void requireBytes(byte[] expected, byte[] actual, String what) {
        if (Arrays.equals(expected, actual)) {
            return;
        }
        int firstDifference = Arrays.mismatch(expected, actual);
        throw violation(what + ": expected " + expected.length + " bytes (sha-256 " + sha256(expected).substring(0, 16)
                + "), got " + actual.length + " (sha-256 " + sha256(actual).substring(0, 16) + "), first difference at byte "
                + firstDifference, null);
    }

    /** Work that may throw and returns nothing. */
    @FunctionalInterface
    public interface Action {
        /**
         * Does the action.
         *
         * @throws Exception any failure
         */
        void run() throws Exception;
    }

    /**
     * Fails the rule unless the action throws an exception of the type (or a subtype).
     *
     * @param type   the exception type expected
     * @param what   the action in words
     * @param action the action
     * @param <E>    the type
     * @return the exception thrown
     */
    public <E extends Throwable> E requireThrows(Class<E> type, String what, Action action) {
        try {
            action.run();
        } catch (Throwable t) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t instanceof RuleViolation v) {
                throw v;
            }
            throw violation(what + ": expected " + type.getSimpleName() + ", got " + describe(t), t);
        }
        throw violation(what + ": expected " + type.getSimpleName() + ", but it returned normally", null);
    }

    /**
     * Runs a call that must throw {@link java.net.SocketTimeoutException} after {@code timeout}:
     * not before it, and at most {@link #LATE} after it. A call that ends too late is run once
     * more, so one slow wake-up on a loaded machine does not fail the rule; the call must leave
     * the connection as it found it, as a timed-out call does.
     *
     * @param what    the call in words
     * @param timeout the timeout it was given
     * @param call    the call
     * @return the timeout exception
     * @throws Exception a violation when it does not time out, or not in time
     */
    public java.net.SocketTimeoutException requireTimesOut(String what, Duration timeout, Action call) throws Exception {
        return requireTimesOutAfresh(what, timeout, () -> call);
    }

    /**
     * {@link #requireTimesOut} for a call that uses up what it runs on, as a handshake that times
     * out closes its connection: {@code fresh} sets up each attempt (a new connection, say) and
     * returns the call to time, so that the setting up is not timed.
     *
     * @param what    the call in words
     * @param timeout the timeout it was given
     * @param fresh   sets up an attempt and returns the call
     * @return the timeout exception
     * @throws Exception a violation when it does not time out, or not in time
     */
    public java.net.SocketTimeoutException requireTimesOutAfresh(String what, Duration timeout, Work<Action> fresh)
            throws Exception {
        long lateMillis = 0;
        for (int attempt = 1; attempt <= 2; attempt++) {
            Action call = fresh.call();
            long start = System.nanoTime();
            java.net.SocketTimeoutException e = requireThrows(java.net.SocketTimeoutException.class, what,
                    () -> within(timeout.plus(SHORT_LIMIT), what, () -> {
                        call.run();
                        return null;
                    }));
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            require(elapsedMillis >= timeout.toMillis() - 10, what + " timed out after " + elapsedMillis
                    + " ms, before its " + timeout.toMillis() + " ms timeout");
            if (elapsedMillis <= timeout.plus(LATE).toMillis()) {
                return e;
            }
            lateMillis = elapsedMillis;
        }
        throw violation(what + " timed out after " + lateMillis + " ms, twice more than " + LATE.toMillis()
                + " ms past its " + timeout.toMillis() + " ms timeout", null);
    }

    /**
     * Runs an operation that must throw {@code type} without waiting long, on its own virtual
     * thread so that one that blocks is noticed; a blocked one is interrupted.
     *
     * @param type  the exception expected
     * @param what  the operation in words
     * @param limit how long it may take
     * @param op    the operation
     * @return {@code null} when it threw {@code type} within {@code limit}, else what happened
     * @throws InterruptedException when the check is interrupted
     */
    public String failsWithin(Class<? extends Throwable> type, String what, Duration limit, Work<?> op)
            throws InterruptedException {
        FutureTask<Object> task = new FutureTask<>(op::call);
        Thread thread = Thread.ofVirtual().name("tck-" + rule.id() + "-" + what).start(task);
        try {
            Object result = task.get(limit.toNanos(), TimeUnit.NANOSECONDS);
            return what + " returned " + (result instanceof java.nio.ByteBuffer b ? b.remaining() + " bytes" : result)
                    + " instead of throwing " + type.getSimpleName();
        } catch (TimeoutException e) {
            thread.interrupt();
            return what + " was still blocked after " + limit.toMillis() + " ms";
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return type.isInstance(cause) ? null : what + " threw " + describe(cause) + ", not " + type.getSimpleName();
        }
    }

    static String describe(Throwable t) {
        return t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
