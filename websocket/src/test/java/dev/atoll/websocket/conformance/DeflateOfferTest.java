package dev.atoll.websocket.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * The suite's reading of a server's permessage-deflate answer (RFC 7692 section 7.1), on which
 * groups 12 and 13 judge, and its compressor keeping to a window the peer limited.
 */
class DeflateOfferTest {

    @Test
    void anAnswerWithinTheOfferIsAgreed() {
        DeflateOffer offer = new DeflateOffer(true, false, 10, -1);
        assertEquals(new Deflate.Agreement(true, false, 9, 12),
                offer.agree("permessage-deflate; server_no_context_takeover; server_max_window_bits=9; client_max_window_bits=12"));
        assertEquals(new Deflate.Agreement(false, false, 15, 15), DeflateOffer.DEFAULT.agree("permessage-deflate"));
        assertEquals(new Deflate.Agreement(false, true, 15, 15),
                DeflateOffer.DEFAULT.agree("permessage-deflate; client_no_context_takeover"));
    }

    @Test
    void anAcceptedWindowLimitMustBeAnswered() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DeflateOffer(false, false, 15, 0).agree("permessage-deflate"));
        assertEquals("accepted without server_max_window_bits of at most the offered 15: permessage-deflate", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new DeflateOffer(false, false, 10, 0).agree("permessage-deflate; server_max_window_bits=11"));
    }

    @Test
    void anAcceptedServerNoContextTakeoverMustBeAnswered() {
        assertThrows(IllegalArgumentException.class, () -> new DeflateOffer(true, false, 0, 0).agree("permessage-deflate"));
    }

    @Test
    void aClientWindowMayBeAnsweredOnlyWhenOffered() {
        assertThrows(IllegalArgumentException.class,
                () -> new DeflateOffer(false, false, 0, 0).agree("permessage-deflate; client_max_window_bits=10"));
        assertThrows(IllegalArgumentException.class,
                () -> new DeflateOffer(false, false, 0, 9).agree("permessage-deflate; client_max_window_bits=10"));
    }

    @Test
    void unknownRepeatedOrMalformedParametersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DeflateOffer.DEFAULT.agree("permessage-deflate; x=1"));
        assertThrows(IllegalArgumentException.class,
                () -> DeflateOffer.DEFAULT.agree("permessage-deflate; client_no_context_takeover; client_no_context_takeover"));
        assertThrows(IllegalArgumentException.class, () -> DeflateOffer.DEFAULT.agree("permessage-deflate; server_max_window_bits=7"));
        assertThrows(IllegalArgumentException.class, () -> DeflateOffer.DEFAULT.agree("permessage-deflate; server_max_window_bits"));
        assertThrows(IllegalArgumentException.class, () -> DeflateOffer.DEFAULT.agree("x-webkit-deflate-frame"));
    }

    @Test
    void aLimitedWindowIsKeptWithFreshContextsAndStoredBlocksPastIt() throws Exception {
        Deflate deflate = new Deflate(new Deflate.Agreement(false, false, 15, 9), Role.CLIENT);
        byte[] small = Scripts.text("abcabcabc", 512);
        byte[] large = Scripts.text("abcabcabc", 4096);
        byte[] compressedSmall = deflate.compress(small);
        byte[] compressedLarge = deflate.compress(large);
        assertTrue(compressedSmall.length < small.length / 4, "a message within the window is compressed");
        assertTrue(compressedLarge.length > large.length, "a message past the window goes in stored blocks");
        for (byte[][] pair : new byte[][][] {{small, compressedSmall}, {large, compressedLarge}}) {
            Inflater fresh = new Inflater(true);
            fresh.setInput(Scripts.concat(pair[1], Scripts.bytes(0, 0, 0xff, 0xff)));
            byte[] out = new byte[pair[0].length];
            assertEquals(out.length, fresh.inflate(out));
            assertArrayEquals(pair[0], out);
            fresh.end();
        }
    }
}
