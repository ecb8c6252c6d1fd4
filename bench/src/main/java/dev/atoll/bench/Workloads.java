package dev.atoll.bench;

import dev.atoll.transport.Connection;
import dev.atoll.transport.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;

/** The server workloads the benchmarks share. */
final class Workloads {

    private Workloads() {
    }

    /** Sends back whatever arrives, as it arrives. */
    static final Workload ECHO = new Workload() {
        @Override
        public void serve(Connection c) throws IOException {
            while (true) {
                c.send(c.recv(0, Transport.INFINITE));
            }
        }

        @Override
        public void serve(Socket s) throws IOException {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        }

        @Override
        public ChannelHandler netty() {
            return new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ctx.write(msg);
                }

                @Override
                public void channelReadComplete(ChannelHandlerContext ctx) {
                    ctx.flush();
                }
            };
        }
    };

    /** Reads and throws away whatever arrives until the client ends the connection. */
    static final Workload DISCARD = new Workload() {
        @Override
        public void serve(Connection c) throws IOException {
            while (true) {
                c.recv(0, Transport.INFINITE);
            }
        }

        @Override
        public void serve(Socket s) throws IOException {
            InputStream in = s.getInputStream();
            byte[] buffer = new byte[16 * 1024];
            while (in.read(buffer) >= 0) {
                // discarded
            }
        }
    };

    /**
     * Sends the same {@code writeSize} bytes over and over, one write call each, until the
     * client goes away; reads nothing.
     *
     * @param writeSize the bytes of one write
     * @return the workload
     */
    static Workload source(int writeSize) {
        return new Workload() {
            @Override
            public void serve(Connection c) throws IOException {
                ByteBuffer chunk = ByteBuffer.allocateDirect(writeSize);
                while (true) {
                    c.send(chunk.clear());
                }
            }

            @Override
            public void serve(Socket s) throws IOException {
                OutputStream out = s.getOutputStream();
                byte[] chunk = new byte[writeSize];
                while (true) {
                    out.write(chunk);
                }
            }

            @Override
            public ChannelHandler netty() {
                ByteBuf chunk = Unpooled.directBuffer(writeSize).writeZero(writeSize);
                return new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        fill(ctx);
                    }

                    @Override
                    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                        fill(ctx);
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        chunk.release();
                    }

                    private void fill(ChannelHandlerContext ctx) {
                        while (ctx.channel().isActive() && ctx.channel().isWritable()) {
                            ctx.writeAndFlush(chunk.retainedDuplicate());   // one send call each, as the others
                        }
                    }
                };
            }
        };
    }
}
