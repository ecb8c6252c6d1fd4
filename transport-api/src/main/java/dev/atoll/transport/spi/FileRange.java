package dev.atoll.transport.spi;

import java.io.EOFException;

/**
 * The range a {@code sendfile(path, offset, length)} sends, checked against the file's size
 * before any byte is sent (rule SENDFILE-4).
 *
 * @param offset the first byte
 * @param end    one past the last byte
 */
public record FileRange(long offset, long end) {

    /**
     * Checks a requested range.
     *
     * @param operation the operation and peer, for the message
     * @param offset    the first byte, at least 0
     * @param length    how many bytes, 0 for all up to the end of the file
     * @param size      the file's size
     * @return the range
     * @throws EOFException when the range reaches past the end of the file
     */
    public static FileRange of(String operation, long offset, long length, long size) throws EOFException {
        long end = length == 0 ? size : offset + length;
        if (offset > size || end > size || end < offset) {
            throw new EOFException(operation + ": range " + offset + "+" + length + " reaches past the end of the file ("
                    + size + " bytes)");
        }
        return new FileRange(offset, end);
    }

    /**
     * The number of bytes in the range.
     *
     * @return the length
     */
    public long length() {
        return end - offset;
    }
}
