package dev.atoll.websocket.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The server's side of the opening handshake (RFC 6455 section 4.2), which Autobahn leaves out:
 * requests it must refuse, and frames sent right behind the request head. Cases for the suite
 * as a client only.
 */
final class HandshakeCases {

    private HandshakeCases() {
    }

    /** The size of the oversized request head. */
    static final int OVERSIZED_HEAD = 128 * 1024;

    /** What a refused request got: its response, or none when the server closed without one. */
    private static Optional<HttpHead> exchange(CaseRun run, String request) throws IOException {
        FuzzingClient client = run.client();
        Socket socket = run.track(client.connect(run.left()));
        try {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
        } catch (IOException refused) {
            // a server may close before reading a whole oversized head; its answer, if any, is read next
        }
        InputStream in = socket.getInputStream();
        return HttpHead.read(socket, in, System.nanoTime() + run.left().toNanos());
    }

    /** A 4xx is OK, a 101 FAILED, a close without an answer or another status NON-STRICT. */
    private static Verdict refused(Optional<HttpHead> response, String why) {
        if (response.isEmpty()) {
            return Verdict.nonStrict("the server closed the connection without an HTTP answer to " + why);
        }
        int status = response.get().status();
        if (status == 101) {
            return Verdict.failed("the server upgraded " + why + ": " + response.get());
        }
        if (status >= 400 && status < 500) {
            return Verdict.ok("refused with " + response.get().startLine());
        }
        return Verdict.nonStrict("the server answered " + why + " with " + response.get().startLine() + ", not a 4xx");
    }

    private static Case clientCase(String id, String description, Case.Script script) {
        return new Case(id, description, Role.CLIENT, Case.LIMIT, script);
    }

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        cases.add(clientCase("0.1", "Send an upgrade request without Sec-WebSocket-Key; expect a 4xx (400), not an upgrade.",
                run -> refused(exchange(run, run.client().request("GET", null, "13", null)), "a request without a key")));
        cases.add(clientCase("0.2", "Send an upgrade request whose Sec-WebSocket-Key is not 16 bytes in base64; expect a 4xx (400).",
                run -> refused(exchange(run, run.client().request("GET", "not-base64-at-all!", "13", null)), "an invalid key")));
        cases.add(clientCase("0.3", "Send an upgrade request with Sec-WebSocket-Version: 8; expect 426 with Sec-WebSocket-Version: 13"
                + " (a server that also speaks version 8 may upgrade: INFORMATIONAL).", run -> {
                    Optional<HttpHead> response = exchange(run, run.client().request("GET", FuzzingClient.newKey(), "8", null));
                    if (response.isEmpty()) {
                        return Verdict.nonStrict("the server closed the connection without an HTTP answer to version 8");
                    }
                    HttpHead r = response.get();
                    boolean names13 = r.values("Sec-WebSocket-Version").contains("13");
                    if (r.status() == 426 && names13) {
                        return Verdict.ok("426 naming version 13: " + r);
                    }
                    if (r.status() == 101) {
                        return Verdict.informational("the server upgraded a version 8 request (it speaks that draft too): " + r);
                    }
                    if (r.status() >= 400 && r.status() < 500) {
                        return Verdict.nonStrict("refused version 8 with " + r + "; RFC 6455 section 4.4 asks for 426 with"
                                + " Sec-WebSocket-Version: 13");
                    }
                    return Verdict.failed("answered version 8 with " + r);
                }));
        cases.add(clientCase("0.4", "Send an upgrade request with the method POST; the handshake must be a GET: expect a 4xx.",
                run -> refused(exchange(run, run.client().request("POST", FuzzingClient.newKey(), "13", null)), "a POST")));
        cases.add(clientCase("0.5", "Send an upgrade request whose head is " + OVERSIZED_HEAD / 1024 + " KiB (many header fields);"
                + " expect a 4xx (431), or INFORMATIONAL when the server has no limit that low.", run -> {
                    String request = run.client().request("GET", FuzzingClient.newKey(), "13", null);
                    StringBuilder filler = new StringBuilder();
                    for (int i = 0; filler.length() < OVERSIZED_HEAD; i++) {
                        filler.append("X-Filler-").append(i).append(": ").append("f".repeat(48)).append("\r\n");
                    }
                    String oversized = request.substring(0, request.length() - 2) + filler + "\r\n";
                    Optional<HttpHead> response = exchange(run, oversized);
                    if (response.isPresent() && response.get().status() == 101) {
                        return Verdict.informational("the server upgraded a request head of " + oversized.length() + " bytes");
                    }
                    return refused(response, "an oversized head");
                }));
        cases.add(clientCase("0.6", "Send a text frame in the same write as the upgrade request; the server must read it as the"
                + " session's first frame: expect it echoed.", run -> {
                    FuzzingClient client = run.client();
                    byte[] frame = Frame.of(Frame.TEXT, "pipelined right behind the head").encode(new byte[] {1, 2, 3, 4});
                    Peer p = run.track(client.open(List.of(), frame, run.left()));
                    return Expect.echo(Scripts.textEvent(Scripts.utf8("pipelined right behind the head"))).judge(run, p, false);
                }));
        return cases;
    }
}
