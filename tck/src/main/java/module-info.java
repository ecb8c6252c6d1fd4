/**
 * Atoll's TCK: the conformance suite every transport passes, as JUnit Jupiter tests to extend
 * ({@link dev.atoll.tck.TransportTck}) and as a launcher ({@link dev.atoll.tck.TckLauncher}).
 * It works on the class path as well as on the module path.
 */
module dev.atoll.tck {
    requires transitive dev.atoll.transport;
    requires transitive org.junit.jupiter.api;
    requires java.management;
    requires jdk.management;     // com.sun.management.ThreadMXBean: memory allocated per thread
    requires jdk.jfr;            // virtual threads pinned to their carriers

    exports dev.atoll.tck;
    exports dev.atoll.tck.faults;

    // JUnit calls TransportTck's test factory and its clean-up, which are not public.
    opens dev.atoll.tck to org.junit.platform.commons;
}
