package dev.atoll.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The validator agrees with the JDK's strict UTF-8 decoder, whole and split at every point. */
class Utf8ValidatorTest {

    static boolean jdkValid(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    static boolean splitValid(byte[] bytes, int at) {
        Utf8Validator v = new Utf8Validator();
        return v.accept(bytes, 0, at) && v.accept(bytes, at, bytes.length - at) && v.complete();
    }

    @Test
    void everySequenceOfUpToThreeBytesAndSampledFourByteOnes() {
        for (int a = 0; a < 256; a++) {
            check(new byte[] {(byte) a});
            for (int b = 0; b < 256; b++) {
                check(new byte[] {(byte) a, (byte) b});
                if (a >= 0xC0) {
                    for (int c = 0x70; c < 0xC8; c++) {
                        check(new byte[] {(byte) a, (byte) b, (byte) c});
                    }
                }
            }
        }
        Random random = new Random(6455);
        for (int i = 0; i < 50_000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(12)];
            for (int k = 0; k < bytes.length; k++) {
                // mostly bytes that make interesting sequences
                bytes[k] = (byte) (random.nextBoolean() ? 0x80 + random.nextInt(0x80) : random.nextInt(256));
            }
            check(bytes);
        }
    }

    static void check(byte[] bytes) {
        boolean expected = jdkValid(bytes);
        assertEquals(expected, Utf8Validator.valid(bytes, 0, bytes.length), () -> java.util.HexFormat.of().formatHex(bytes));
        for (int at = 1; at < bytes.length; at++) {
            int split = at;
            assertEquals(expected, splitValid(bytes, at), () -> java.util.HexFormat.of().formatHex(bytes) + " split at " + split);
        }
    }

    @Test
    void anInvalidByteFailsAtOnceAndAnIncompleteTailIsCounted() {
        Utf8Validator v = new Utf8Validator();
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        assertEquals(true, v.accept(euro, 0, 2));
        assertEquals(2, v.incompleteTail());
        assertEquals(false, v.complete());
        assertEquals(true, v.accept(euro, 2, 1));
        assertEquals(0, v.incompleteTail());
        v.reset();
        // F4 90 can begin nothing valid: refused on its second byte, before the rest arrives
        assertEquals(false, v.accept(new byte[] {(byte) 0xF4, (byte) 0x90}, 0, 2));
    }
}
