package dev.atoll.transport;

/**
 * A snapshot of a connection's traffic counters, after Erlang's {@code inet:getstat}
 * ({@code recv_oct, recv_cnt, recv_max, send_oct, send_cnt, send_max}).
 *
 * @param recvOctets application bytes returned by {@code recv}
 * @param recvCalls  {@code recv} calls that returned bytes
 * @param recvMax    the most bytes one {@code recv} returned
 * @param sendOctets application bytes accepted by {@code send} and {@code sendfile}
 * @param sendCalls  {@code send} and {@code sendfile} calls that sent bytes
 * @param sendMax    the most bytes one {@code send} or {@code sendfile} call sent
 */
public record SocketStats(long recvOctets, long recvCalls, long recvMax,
                          long sendOctets, long sendCalls, long sendMax) {

    /** No traffic. */
    public static final SocketStats ZERO = new SocketStats(0, 0, 0, 0, 0, 0);

    /**
     * The mean bytes per receiving call, as {@code recv_avg}.
     *
     * @return the average, 0 when nothing was received
     */
    public long recvAverage() {
        return recvCalls == 0 ? 0 : recvOctets / recvCalls;
    }

    /**
     * The mean bytes per sending call, as {@code send_avg}.
     *
     * @return the average, 0 when nothing was sent
     */
    public long sendAverage() {
        return sendCalls == 0 ? 0 : sendOctets / sendCalls;
    }
}
