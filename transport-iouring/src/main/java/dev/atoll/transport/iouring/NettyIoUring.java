package dev.atoll.transport.iouring;

import io.netty.channel.uring.IoUring;

/**
 * Netty's io_uring as this transport needs it, set up before Netty reads its settings: every
 * use of {@link IoUring} by this transport goes through here first.
 *
 * <p>With auto-read off, Netty arms a read by first polling the socket for {@code POLLIN}. A
 * multishot poll stays armed and reports each wake-up once; a wake-up that comes while a read
 * is under way (the peer's reset or end of stream right behind its last bytes) is dropped, the
 * read that follows takes the bytes, and no read is armed again: the reset or end is never
 * heard (RESET-2). A one-shot poll is armed anew for each read and sees what is already
 * pending, so this transport has Netty use one-shot polls
 * ({@value #MULTISHOT_POLL}{@code =false}, unless set otherwise before) and refuses to run
 * where Netty was set up with multishot polls.
 */
final class NettyIoUring {

    /** Netty's setting for multishot {@code POLL_ADD}, read once when {@link IoUring} is first used. */
    static final String MULTISHOT_POLL = "io.netty.iouring.pollAddMultishotEnabled";

    static {
        if (System.getProperty(MULTISHOT_POLL) == null) {
            System.setProperty(MULTISHOT_POLL, "false");
        }
    }

    private NettyIoUring() {
    }

    /** Why the transport cannot run here, or {@code ""} when it can. */
    static String unavailability() {
        Throwable cause;
        try {
            if (IoUring.isAvailable()) {
                return multishotPollRefusal(IoUring.isPollAddMultishotEnabled());
            }
            cause = IoUring.unavailabilityCause();
        } catch (LinkageError e) {
            cause = e;
        }
        return "io_uring is not available here: " + (cause == null ? "unknown reason" : cause);
    }

    /** The refusal to run on multishot polls, or {@code ""} when Netty polls one shot at a time. */
    static String multishotPollRefusal(boolean multishotPoll) {
        return multishotPoll ? "Netty's io_uring uses multishot POLLIN polls (" + MULTISHOT_POLL + " is true, or Netty's "
                + "io_uring was first used before this transport and read its default), under which a reset or end of "
                + "stream that arrives during a read is never reported; run with -D" + MULTISHOT_POLL + "=false" : "";
    }
}
