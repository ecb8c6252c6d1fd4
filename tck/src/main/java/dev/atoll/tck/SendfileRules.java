package dev.atoll.tck;

import java.io.EOFException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;

/** Sending file ranges. */
final class SendfileRules {

    /** The size of SENDFILE-6's file. */
    static final long LARGE_FILE = 64L << 20;

    private SendfileRules() {
    }

    static RuleGroup group() {
        Capability c = Capability.SENDFILE;
        return new RuleGroup("sendfile", List.of(
                Rule.of("SENDFILE-1", c, "sendfile of a whole file sends its bytes and returns their count", SendfileRules::whole),
                Rule.of("SENDFILE-2", c, "sendfile of a range sends exactly that range", SendfileRules::range),
                Rule.of("SENDFILE-3", c, "length 0 sends from the offset to the end of the file", SendfileRules::toEnd),
                Rule.of("SENDFILE-4", c, "a range past the end fails with EOFException before sending, and the connection stays usable",
                        SendfileRules::pastEnd),
                Rule.of("SENDFILE-5", c, "a missing file fails with NoSuchFileException, and the connection stays usable",
                        SendfileRules::missingFile),
                Rule.of("SENDFILE-6", c, "a 64 MiB file arrives intact", SendfileRules::largeFile)));
    }

    private static void whole(TckContext tck) throws Exception {
        byte[] content = tck.randomBytes((1 << 20) + 123);
        Path file = tck.tempFile(content);
        tck.inEveryTopology(pair -> {
            var reader = tck.background("peer reads the file", () -> pair.peer().readExactly(content.length));
            long sent = pair.subject().sendfile(file, 0, content.length);
            tck.require(sent == content.length, "sendfile returned " + sent + ", the file has " + content.length + " bytes");
            tck.requireBytes(content, reader.join(), "the whole file");
        });
    }

    private static void range(TckContext tck) throws Exception {
        byte[] content = tck.randomBytes(100_000);
        Path file = tck.tempFile(content);
        tck.inEveryTopology(pair -> {
            long sent = pair.subject().sendfile(file, 1000, 5000);
            tck.require(sent == 5000, "sendfile(offset 1000, length 5000) returned " + sent);
            tck.requireBytes(Bytes.range(content, 1000, 6000), pair.peer().readExactly(5000), "the range 1000+5000");
            pair.subject().sendfile(file, 99_990, 10);
            tck.requireBytes(Bytes.range(content, 99_990, 100_000), pair.peer().readExactly(10), "the last 10 bytes");
        });
    }

    private static void toEnd(TckContext tck) throws Exception {
        byte[] content = tck.randomBytes(50_000);
        Path file = tck.tempFile(content);
        tck.inEveryTopology(pair -> {
            long sent = pair.subject().sendfile(file, 777, 0);
            tck.require(sent == content.length - 777, "sendfile(offset 777, length 0) returned " + sent + ", expected "
                    + (content.length - 777));
            tck.requireBytes(Bytes.range(content, 777, content.length), pair.peer().readExactly(content.length - 777),
                    "the file from offset 777");
        });
    }

    private static void pastEnd(TckContext tck) throws Exception {
        byte[] content = tck.randomBytes(1000);
        Path file = tck.tempFile(content);
        tck.inEveryTopology(pair -> {
            tck.requireThrows(EOFException.class, "sendfile(offset 990, length 20) of a 1000-byte file",
                    () -> pair.subject().sendfile(file, 990, 20));
            tck.requireThrows(EOFException.class, "sendfile(offset 1001, length 0) of a 1000-byte file",
                    () -> pair.subject().sendfile(file, 1001, 0));
            pair.subject().send("ok".getBytes());
            tck.requireBytes("ok".getBytes(), pair.peer().readExactly(2), "the next bytes after failed sendfiles");
        });
    }

    private static void missingFile(TckContext tck) throws Exception {
        Path missing = tck.tempFile(new byte[0]);
        java.nio.file.Files.delete(missing);
        tck.inEveryTopology(pair -> {
            tck.requireThrows(NoSuchFileException.class, "sendfile of a missing file",
                    () -> tck.within(TckContext.SHORT_LIMIT, "sendfile of a missing file",
                            () -> pair.subject().sendfile(missing, 0, 0)));
            pair.subject().send("ok".getBytes());
            tck.requireBytes("ok".getBytes(), pair.peer().readExactly(2), "the next bytes after a failed sendfile");
        });
    }

    private static void largeFile(TckContext tck) throws Exception {
        MessageDigest written = Transfer.sha256();
        Path file = tck.largeTempFile(LARGE_FILE, written);
        String expected = Transfer.describe(LARGE_FILE, written);
        tck.inEveryTopology(pair -> {
            var reader = tck.background("peer reads 64 MiB", () -> Transfer.receive(pair.peer(), LARGE_FILE));
            long sent = pair.subject().sendfile(file, 0, 0);
            tck.require(sent == LARGE_FILE, "sendfile of a 64 MiB file returned " + sent);
            String got = reader.join();
            tck.require(got.equals(expected), "the peer received " + got + ", the file holds " + expected);
        });
    }
}
