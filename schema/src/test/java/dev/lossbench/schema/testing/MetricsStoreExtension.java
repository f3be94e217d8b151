package dev.lossbench.schema.testing;

import dev.lossbench.schema.MetricsStore;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension for tests against the real metrics store: starts one PostgreSQL per test JVM (embedded, or
 * Testcontainers with {@code LOSSBENCH_TEST_DB=testcontainers}), migrates it once, and empties all tables before
 * each test. Test methods and constructors may declare {@link MetricsStore} and {@link TestDatabase} parameters.
 *
 * <pre>{@code
 * @ExtendWith(MetricsStoreExtension.class)
 * class StoreActivitiesTest {
 *     @Test
 *     void recordsAnEpoch(MetricsStore store) { ... }
 * }
 * }</pre>
 *
 * Tests share the one database, so classes using it must not run in parallel with each other.
 */
public final class MetricsStoreExtension implements BeforeEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
      .create(MetricsStoreExtension.class);

  @Override
  public void beforeEach(ExtensionContext context) {
    testDatabase(context).truncateAllTables();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == MetricsStore.class || type == TestDatabase.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    TestDatabase database = testDatabase(context);
    return parameter.getParameter().getType() == MetricsStore.class ? database.store() : database;
  }

  // in the root context's store: created once for the whole run, closed (server stopped) when the run ends
  private static TestDatabase testDatabase(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(TestDatabase.class, type -> TestDatabase.start(), TestDatabase.class);
  }
}
