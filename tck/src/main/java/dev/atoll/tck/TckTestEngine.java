package dev.atoll.tck;

import java.util.Optional;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.EngineDiscoveryRequest;
import org.junit.platform.engine.EngineExecutionListener;
import org.junit.platform.engine.ExecutionRequest;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestEngine;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.discovery.UniqueIdSelector;
import org.junit.platform.engine.support.descriptor.EngineDescriptor;
import org.junit.platform.engine.support.discovery.EngineDiscoveryRequestResolver;
import org.junit.platform.engine.support.discovery.SelectorResolver;

/**
 * The JUnit Platform engine that runs {@link TransportTck} classes, found by the JUnit Platform
 * through {@code META-INF/services} in the TCK's jar: Maven Surefire, Gradle and IDEs run it
 * beside JUnit Jupiter without configuration. Each concrete subclass of {@code TransportTck}
 * is a class in the reports, each selected rule a test of it named by its id and the rule
 * ({@code RECV-1 recv(n) returns exactly n bytes}), then each group's {@code LEAK-1 (group)} and
 * {@code PIN-1 (group)}. A rule that does not apply is reported as skipped with the reason; a
 * broken one fails with the violation, which names the rule, the transport, the topology and
 * the seed.
 *
 * <p>The engine resolves classes, packages, class path roots and modules to the
 * {@code TransportTck} classes in them, and unique ids to a class or to one rule of it (as IDEs
 * do to run a test again).
 */
public final class TckTestEngine implements TestEngine {

    /** The engine's id, the first segment of its tests' unique ids. */
    public static final String ID = "atoll-tck";

    private static final EngineDiscoveryRequestResolver<EngineDescriptor> RESOLVER =
            EngineDiscoveryRequestResolver.<EngineDescriptor>builder()
                    .addClassContainerSelectorResolver(TckClassDescriptor::isTckClass)
                    .addSelectorResolver(new TckSelectorResolver())
                    .build();

    /** For the {@link java.util.ServiceLoader} of the JUnit Platform. */
    public TckTestEngine() {
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public Optional<String> getGroupId() {
        return Optional.of("dev.atoll");
    }

    @Override
    public Optional<String> getArtifactId() {
        return Optional.of("tck");
    }

    @Override
    public TestDescriptor discover(EngineDiscoveryRequest request, UniqueId uniqueId) {
        EngineDescriptor engine = new EngineDescriptor(uniqueId, "Atoll TCK");
        RESOLVER.resolve(request, engine);
        return engine;
    }

    @Override
    public void execute(ExecutionRequest request) {
        EngineExecutionListener listener = request.getEngineExecutionListener();
        TestDescriptor engine = request.getRootTestDescriptor();
        listener.executionStarted(engine);
        for (TestDescriptor testClass : engine.getChildren()) {
            ((TckClassDescriptor) testClass).execute(listener);
        }
        listener.executionFinished(engine, TestExecutionResult.successful());
    }

    /** Resolves a class to its descriptor and tests, and a unique id to a class or one test. */
    private static final class TckSelectorResolver implements SelectorResolver {

        @Override
        public Resolution resolve(ClassSelector selector, Context context) {
            Class<?> candidate = selector.getJavaClass();
            if (!TckClassDescriptor.isTckClass(candidate)) {
                return Resolution.unresolved();
            }
            return context.addToParent(engine -> Optional.of(TckClassDescriptor.of(engine.getUniqueId(),
                            candidate.asSubclass(TransportTck.class))))
                    .map(testClass -> Resolution.match(Match.exact(testClass, testClass::selectedTests)))
                    .orElse(Resolution.unresolved());
        }

        @Override
        public Resolution resolve(UniqueIdSelector selector, Context context) {
            UniqueId id = selector.getUniqueId();
            var segments = id.getSegments();
            if (segments.size() < 2 || !segments.get(0).getValue().equals(ID)
                    || !segments.get(1).getType().equals(TckClassDescriptor.SEGMENT)) {
                return Resolution.unresolved();
            }
            if (segments.size() == 2) {
                return Resolution.selectors(java.util.Set.of(DiscoverySelectors.selectClass(segments.get(1).getValue())));
            }
            if (segments.size() > 3) {
                return Resolution.unresolved();
            }
            DiscoverySelector classSelector = DiscoverySelectors.selectClass(segments.get(1).getValue());
            return context.addToParent(() -> classSelector, testClass -> ((TckClassDescriptor) testClass).test(id.getLastSegment()))
                    .map(test -> Resolution.match(Match.exact(test)))
                    .orElse(Resolution.unresolved());
        }
    }
}
