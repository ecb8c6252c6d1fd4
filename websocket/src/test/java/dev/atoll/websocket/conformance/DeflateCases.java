package dev.atoll.websocket.conformance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Autobahn's groups 12 and 13: permessage-deflate (RFC 7692). Group 12 echoes compressed
 * messages of growing sizes, some fragmented by the suite, over the peer's default parameters;
 * group 13 the same under each set of offered parameters (context takeover and window sizes).
 * An offer the peer declines makes the case UNIMPLEMENTED, saying which.
 */
final class DeflateCases {

    private DeflateCases() {
    }

    /** The time a case of these groups may take. */
    static final Duration LIMIT = Duration.ofSeconds(8);

    /** Messages per case (Autobahn sends 1000; fewer keep a run short and still cross context takeover). */
    static final int COUNT = 10;

    /** Message size and the suite's fragment size (0: one frame), as Autobahn's groups 12 and 13. */
    private static final int[][] SIZES = {{16, 0}, {64, 0}, {256, 0}, {1024, 0}, {4096, 0}, {8192, 0}, {16384, 0}, {32768, 0},
        {65536, 0}, {131072, 0}, {8192, 256}, {16384, 256}, {32768, 256}, {65536, 256}, {131072, 256}, {131072, 1024},
        {131072, 4096}, {131072, 32768}};

    /** Test data the suite makes itself: its description, whether binary, and the bytes (ASCII for text). */
    private record Data(String description, boolean binary, byte[] bytes) {
    }

    private static final int DATA_SIZE = 256 * 1024;

    private static List<Data> data() {
        StringBuilder json = new StringBuilder("[");
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><body>");
        StringBuilder prose = new StringBuilder();
        String[] words = {"the", "suite", "sends", "echo", "frame", "server", "message", "deflate", "window", "context", "bits",
            "close", "ping", "pong", "text", "binary", "under", "over", "again", "Atoll"};
        byte[] noise = Scripts.noise(DATA_SIZE, 7);
        for (int i = 0; json.length() < DATA_SIZE; i++) {
            json.append("{\"id\":").append(i).append(",\"name\":\"").append(words[noise[i] & 15]).append(i % 97)
                    .append("\",\"score\":").append((noise[i + 1] & 0xff) / 3.0).append(",\"tags\":[\"")
                    .append(words[noise[i + 2] & 15]).append("\",\"").append(words[noise[i + 3] & 15]).append("\"]},");
        }
        for (int i = 0; html.length() < DATA_SIZE; i++) {
            html.append("<div class=\"row r").append(i % 13).append("\"><a href=\"/p/").append(i).append("\">")
                    .append(words[noise[i] & 15]).append("</a> <span>").append(words[noise[i + 1] & 15]).append("</span></div>\n");
        }
        for (int i = 0; prose.length() < DATA_SIZE; i++) {
            prose.append(words[(noise[i] & 0xff) % words.length]).append(i % 11 == 10 ? ".\n" : " ");
        }
        byte[] bitmap = new byte[DATA_SIZE];
        for (int i = 0; i < DATA_SIZE; i++) {
            int x = i % 512;
            int y = i / 512;
            bitmap[i] = (byte) ((x * x + y * y) / 64 % 7 == 0 ? 0xff : (x ^ y) & 0xf0);
        }
        return List.of(new Data("JSON text", false, ascii(json)), new Data("a bitmap image, binary", true, bitmap),
                new Data("prose, sent as binary", true, ascii(prose)), new Data("HTML text", false, ascii(html)),
                new Data("incompressible random bytes, binary", true, Scripts.noise(DATA_SIZE, 11)));
    }

    private static byte[] ascii(StringBuilder s) {
        return s.substring(0, DATA_SIZE).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A case echoing {@link #COUNT} compressed messages, each the next {@code size} bytes of the
     * data (wrapping around).
     */
    private static Case echoes(String id, String description, List<DeflateOffer> offers, Data data, int size, int fragment) {
        return new Case(id, description, null, LIMIT, run -> {
            Peer p = run.open(offers);
            String offered = String.join(", ", offers.stream().map(DeflateOffer::header).toList());
            if (!p.compressing()) {
                String why = p.role() == Role.CLIENT ? "the server declined the permessage-deflate offer " + offered
                        : p.offered().isEmpty() ? "the client offered no extension, so the answer " + offered + " was not made"
                        : "the client's offer " + p.offered() + " does not allow the answer " + offered;
                return Verdict.unimplemented(why)
                        .and(Expect.echo().judge(run, p, false));
            }
            long start = System.nanoTime();
            int at = 0;
            for (int i = 0; i < COUNT; i++) {
                byte[] message = new byte[size];
                for (int k = 0; k < size; k++) {
                    message[k] = data.bytes()[(at + k) % data.bytes().length];
                }
                at = (at + size) % data.bytes().length;
                p.sendMessage(data.binary(), message, fragment);
                Event expected = new Event.Message(data.binary(), message);
                Event e = p.next(run.left());
                if (!expected.equals(e)) {
                    return Verdict.failed("message " + (i + 1) + ": " + p.role().tested() + " sent " + e + "; expected " + expected
                            + " (agreed " + p.extensions() + ")");
                }
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            return Verdict.ok(COUNT + " echoes in " + millis + " ms, agreed " + p.extensions()).and(Expect.echo().judge(run, p, false));
        });
    }

    private static String sizeWords(int[] s) {
        return s[0] + " bytes" + (s[1] == 0 ? "" : ", fragmented by the suite into " + s[1] + "-byte frames");
    }

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        List<Data> data = data();
        for (int j = 0; j < data.size(); j++) {
            Data d = data.get(j);
            for (int i = 0; i < SIZES.length; i++) {
                cases.add(echoes("12." + (j + 1) + "." + (i + 1), "Offer " + DeflateOffer.DEFAULT.header() + "; send " + COUNT
                        + " compressed messages of " + d.description() + ", " + sizeWords(SIZES[i]) + "; expect each echoed.",
                        List.of(DeflateOffer.DEFAULT), d, SIZES[i][0], SIZES[i][1]));
            }
        }
        List<List<DeflateOffer>> parameters = List.of(
                List.of(DeflateOffer.DEFAULT),
                List.of(new DeflateOffer(true, false, 0, -1)),
                List.of(new DeflateOffer(false, false, 9, -1)),
                List.of(new DeflateOffer(false, false, 15, -1)),
                List.of(new DeflateOffer(true, false, 9, -1)),
                List.of(new DeflateOffer(true, false, 15, -1)),
                List.of(new DeflateOffer(true, false, 9, -1), new DeflateOffer(true, false, 0, -1), DeflateOffer.DEFAULT),
                List.of(new DeflateOffer(false, true, 0, -1)),
                List.of(new DeflateOffer(false, false, 0, 9)));
        Data json = data.get(0);
        for (int j = 0; j < parameters.size(); j++) {
            List<DeflateOffer> offers = parameters.get(j);
            String offered = String.join(", ", offers.stream().map(DeflateOffer::header).toList());
            for (int i = 0; i < SIZES.length; i++) {
                cases.add(echoes("13." + (j + 1) + "." + (i + 1), "Offer " + offered + "; send " + COUNT + " compressed messages of"
                        + " JSON text, " + sizeWords(SIZES[i]) + "; expect each echoed as agreed.", offers, json, SIZES[i][0], SIZES[i][1]));
            }
        }
        for (int bits = 8; bits <= 15; bits++) {
            DeflateOffer offer = new DeflateOffer(false, false, bits, -1);
            cases.add(echoes("13.10." + (bits - 7), "Offer " + offer.header() + "; send " + COUNT + " compressed messages of JSON"
                    + " text, 16384 bytes; expect each echoed as agreed, or the offer declined (UNIMPLEMENTED).",
                    List.of(offer), json, 16384, 0));
        }
        return cases;
    }
}
