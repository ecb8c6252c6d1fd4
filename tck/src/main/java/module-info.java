/**
 * Atoll's TCK: the conformance suite every transport passes, as a JUnit Platform test engine
 * that runs each subclass of {@link dev.atoll.tck.TransportTck} and names its tests by rule,
 * and as a launcher ({@link dev.atoll.tck.TckLauncher}). It works on the class path as well as
 * on the module path.
 */
module dev.atoll.tck {
    requires transitive dev.atoll.transport;
    requires transitive org.junit.platform.engine;
    requires java.management;
    requires jdk.management;     // com.sun.management: memory allocated per thread, the JSON thread dump
    requires jdk.jfr;            // virtual threads pinned to their carriers

    exports dev.atoll.tck;
    exports dev.atoll.tck.faults;

    provides org.junit.platform.engine.TestEngine with dev.atoll.tck.TckTestEngine;
}
