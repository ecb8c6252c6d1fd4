package dev.atoll.tck;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every thread of the process, virtual threads included, from the JDK's JSON thread dump
 * ({@link HotSpotDiagnosticMXBean#dumpThreads}), which lists the virtual threads that
 * {@link Thread#getAllStackTraces} does not. The JDK lists every virtual thread unless the
 * system property {@code jdk.trackAllThreads} is {@code false}.
 */
final class ThreadDump {

    /**
     * One thread of the dump.
     *
     * @param monitorDepths the depths (0 the innermost frame) of the frames that hold monitors,
     *                      where the JDK reports them (24 and later, for virtual threads too)
     */
    record DumpedThread(long id, String name, boolean virtual, List<String> frames, List<Integer> monitorDepths) {

        /** Where the thread started: its outermost frame that is not one of the JDK's thread entry points. */
        Optional<String> entryFrame() {
            for (int i = frames.size() - 1; i >= 0; i--) {
                if (!isThreadEntryPoint(frames.get(i))) {
                    return Optional.of(frames.get(i));
                }
            }
            return Optional.empty();
        }
    }

    /** The JDK's code that every thread starts in, before it runs what it was started with. */
    private static final Set<String> THREAD_ENTRY_POINTS = Set.of("java.lang.Thread.run", "java.lang.Thread.runWith",
            "java.lang.VirtualThread.run", "jdk.internal.misc.InnocuousThread.run",
            "java.util.concurrent.ThreadPerTaskExecutor$TaskRunner.run");

    private static final Set<String> JDK_MODULES = ModuleFinder.ofSystem().findAll().stream()
            .map(reference -> reference.descriptor().name()).collect(java.util.stream.Collectors.toUnmodifiableSet());

    private static final AtomicLong DUMPS = new AtomicLong();

    private static final class Directory {
        static final Path PATH;

        static {
            try {
                PATH = Files.createTempDirectory("atoll-thread-dumps-");
                PATH.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make a directory for thread dumps", e);
            }
        }
    }

    private ThreadDump() {
    }

    /**
     * Dumps every thread now.
     *
     * @return the threads by id
     */
    static Map<Long, DumpedThread> take() {
        Path file = Directory.PATH.resolve("threads-" + DUMPS.incrementAndGet() + ".json");
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot dump the threads", e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // left to the system's temporary directory
            }
        }
    }

    /**
     * Whether a frame of a dump ({@code java.base/sun.nio.ch.Poller.pollerLoop(Poller.java:248)})
     * runs code of a JDK module in a package the module does not export: code that only the JDK
     * itself can run a thread in.
     *
     * @param frame the frame as the dump writes it
     * @return whether it is the JDK's internal code
     */
    static boolean isJdkInternal(String frame) {
        String location = frame.indexOf('(') < 0 ? frame : frame.substring(0, frame.indexOf('('));
        int slash = location.lastIndexOf('/');
        if (slash < 0) {
            return false;
        }
        String module = location.substring(0, slash);
        module = module.substring(module.lastIndexOf('/') + 1);
        if (module.indexOf('@') >= 0) {
            module = module.substring(0, module.indexOf('@'));
        }
        String method = location.substring(slash + 1);
        String type = method.substring(0, Math.max(0, method.lastIndexOf('.')));
        String pkg = type.substring(0, Math.max(0, type.lastIndexOf('.')));
        if (!JDK_MODULES.contains(module)) {
            return false;
        }
        Optional<Module> loaded = ModuleLayer.boot().findModule(module);
        return loaded.isPresent() && !loaded.get().isExported(pkg);
    }

    /**
     * Whether a module is one of the JDK's own.
     *
     * @param module the module's name
     * @return whether the JDK's runtime image holds it
     */
    static boolean isJdkModule(String module) {
        return JDK_MODULES.contains(module);
    }

    private static boolean isThreadEntryPoint(String frame) {
        String location = frame.indexOf('(') < 0 ? frame : frame.substring(0, frame.indexOf('('));
        return THREAD_ENTRY_POINTS.contains(location.substring(location.lastIndexOf('/') + 1));
    }

    // --- the dump's JSON

    @SuppressWarnings("unchecked")
    private static Map<Long, DumpedThread> parse(String json) {
        Map<String, Object> root = (Map<String, Object>) new Json(json).value();
        Map<String, Object> dump = (Map<String, Object>) root.get("threadDump");
        Map<Long, DumpedThread> threads = new LinkedHashMap<>();
        for (Object container : (List<Object>) dump.get("threadContainers")) {
            for (Object t : (List<Object>) ((Map<String, Object>) container).get("threads")) {
                Map<String, Object> thread = (Map<String, Object>) t;
                long id = Long.parseLong(String.valueOf(thread.get("tid")));
                List<String> frames = new ArrayList<>();
                for (Object frame : (List<Object>) thread.getOrDefault("stack", List.of())) {
                    frames.add(String.valueOf(frame));
                }
                List<Integer> monitorDepths = new ArrayList<>();
                for (Object owned : (List<Object>) thread.getOrDefault("monitorsOwned", List.of())) {
                    monitorDepths.add(Integer.parseInt(String.valueOf(((Map<String, Object>) owned).get("depth"))));
                }
                threads.put(id, new DumpedThread(id, String.valueOf(thread.get("name")),
                        Boolean.TRUE.equals(thread.get("virtual")), List.copyOf(frames), List.copyOf(monitorDepths)));
            }
        }
        return threads;
    }

    /** A reader of the JSON the JDK writes: objects, arrays, strings, numbers, booleans and null. */
    private static final class Json {
        private final String text;
        private int at;

        Json(String text) {
            this.text = text;
        }

        Object value() {
            skipSpace();
            char c = text.charAt(at);
            switch (c) {
                case '{' -> {
                    Map<String, Object> object = new LinkedHashMap<>();
                    at++;
                    skipSpace();
                    if (text.charAt(at) == '}') {
                        at++;
                        return object;
                    }
                    while (true) {
                        skipSpace();
                        String key = string();
                        skipSpace();
                        expect(':');
                        object.put(key, value());
                        skipSpace();
                        if (text.charAt(at++) == '}') {
                            return object;
                        }
                    }
                }
                case '[' -> {
                    List<Object> array = new ArrayList<>();
                    at++;
                    skipSpace();
                    if (text.charAt(at) == ']') {
                        at++;
                        return array;
                    }
                    while (true) {
                        array.add(value());
                        skipSpace();
                        if (text.charAt(at++) == ']') {
                            return array;
                        }
                    }
                }
                case '"' -> {
                    return string();
                }
                default -> {
                    int start = at;
                    while (at < text.length() && ",}] \n\r\t".indexOf(text.charAt(at)) < 0) {
                        at++;
                    }
                    String literal = text.substring(start, at);
                    return switch (literal) {
                        case "null" -> null;
                        case "true" -> Boolean.TRUE;
                        case "false" -> Boolean.FALSE;
                        default -> literal;
                    };
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = text.charAt(at++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char escaped = text.charAt(at++);
                switch (escaped) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> sb.append(escaped);
                }
            }
        }

        private void expect(char c) {
            if (text.charAt(at) != c) {
                throw new IllegalStateException("unexpected '" + text.charAt(at) + "' at " + at + " of the JDK's thread dump");
            }
            at++;
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
    }
}
