package dev.atoll.bench;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/**
 * Telling from the client's side whether the server resumed a TLS session: a resumed handshake
 * (TLS 1.2 abbreviated, TLS 1.3 PSK) carries no certificate, so the server sends far fewer
 * bytes. The JDK's client session objects cannot tell: a TLS 1.3 resumption yields a new
 * session with a new id and creation time.
 */
final class Sessions {

    private Sessions() {
    }

    /** The fewest bytes a certificate chain takes; a resumed handshake saves at least that. */
    static final int CERTIFICATE_BYTES = 300;

    /** A plain socket counting the bytes read through its input stream, for a TLS socket layered on it. */
    static final class CountingSocket extends Socket {

        private long read;
        private InputStream in;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new FilterInputStream(super.getInputStream()) {
                    @Override
                    public int read() throws IOException {
                        int b = super.read();
                        if (b >= 0) {
                            count(1);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        if (n > 0) {
                            count(n);
                        }
                        return n;
                    }
                };
            }
            return in;
        }

        private synchronized void count(int n) {
            read += n;
        }

        /**
         * The bytes read so far.
         *
         * @return the count
         */
        synchronized long read() {
            return read;
        }
    }

    /**
     * Whether a handshake that received {@code later} bytes was resumed from one that received
     * {@code first}.
     *
     * @param first the bytes a full handshake received
     * @param later the bytes the handshake in question received
     * @return whether the later one carried no certificate
     */
    static boolean resumed(long first, long later) {
        return later <= first - CERTIFICATE_BYTES;
    }
}
