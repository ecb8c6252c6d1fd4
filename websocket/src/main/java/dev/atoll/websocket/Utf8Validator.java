package dev.atoll.websocket;

/**
 * Checks UTF-8 (RFC 3629: shortest forms only, no surrogates, nothing past U+10FFFF) byte by
 * byte across any number of pieces, so that text fails on the byte that makes it invalid, not at
 * the end of its message.
 */
final class Utf8Validator {

    private int needed;
    private int seen;
    private int lower = 0x80;
    private int upper = 0xBF;

    /**
     * Checks the next bytes.
     *
     * @return whether they continue valid UTF-8 (the text may still end inside a code point)
     */
    boolean accept(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int b = bytes[i] & 0xFF;
            if (needed == 0) {
                // the common case: a run of ASCII
                while (b < 0x80) {
                    if (++i == end) {
                        return true;
                    }
                    b = bytes[i] & 0xFF;
                }
                if (b >= 0xC2 && b <= 0xDF) {
                    needed = 1;
                } else if (b >= 0xE0 && b <= 0xEF) {
                    lower = b == 0xE0 ? 0xA0 : 0x80;
                    upper = b == 0xED ? 0x9F : 0xBF;
                    needed = 2;
                } else if (b >= 0xF0 && b <= 0xF4) {
                    lower = b == 0xF0 ? 0x90 : 0x80;
                    upper = b == 0xF4 ? 0x8F : 0xBF;
                    needed = 3;
                } else {
                    return false;
                }
                seen = 1;
            } else {
                if (b < lower || b > upper) {
                    return false;
                }
                lower = 0x80;
                upper = 0xBF;
                seen++;
                needed--;
            }
            i++;
        }
        return true;
    }

    /** {@return whether the bytes so far end on a whole code point} */
    boolean complete() {
        return needed == 0;
    }

    /** {@return how many bytes at the end of what was accepted begin a code point not yet complete} */
    int incompleteTail() {
        return needed == 0 ? 0 : seen;
    }

    /** Forgets everything, for the next text. */
    void reset() {
        needed = 0;
        seen = 0;
        lower = 0x80;
        upper = 0xBF;
    }

    /** {@return whether the bytes are complete, valid UTF-8} */
    static boolean valid(byte[] bytes, int offset, int length) {
        Utf8Validator v = new Utf8Validator();
        return v.accept(bytes, offset, length) && v.complete();
    }
}
