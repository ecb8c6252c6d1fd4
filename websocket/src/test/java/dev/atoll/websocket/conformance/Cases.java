package dev.atoll.websocket.conformance;

import java.util.ArrayList;
import java.util.List;

/** Every case of the suite, in Autobahn's order (the server's handshake and the client's first). */
public final class Cases {

    private Cases() {
    }

    /** {@return every case} */
    public static List<Case> all() {
        List<Case> all = new ArrayList<>();
        all.addAll(HandshakeCases.all());
        all.addAll(ClientHandshakeCases.all());
        all.addAll(FramingCases.all());
        all.addAll(FragmentationCases.all().stream().filter(c -> !c.id().startsWith("10.")).toList());
        all.addAll(Utf8Cases.all());
        all.addAll(CloseCases.all());
        all.addAll(SizeCases.all());
        all.addAll(FragmentationCases.all().stream().filter(c -> c.id().startsWith("10.")).toList());
        all.addAll(DeflateCases.all());
        return all;
    }
}
