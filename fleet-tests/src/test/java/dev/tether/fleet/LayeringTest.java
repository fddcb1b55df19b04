package dev.tether.fleet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.vertx.core.Handler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of STYLE.md, checked on the compiled main classes of every module (this module sees
 * them all): the wire protocol stands on the JDK and Vert.x's Buffer alone, and the proxy and the
 * coordinator meet only in cluster-config.
 */
class LayeringTest {
  private static JavaClasses tether;

  @BeforeAll
  static void importMainClasses() {
    tether = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.tether");
  }

  /**
   * {@code dev.tether.proxy.protocol} depends only on the JDK, itself, Vert.x's {@code Buffer} (the
   * bytes it reads and writes) and {@code Handler} (a callback type): no verticle, event bus, net
   * socket, Netty, Hazelcast, and no other Tether package.
   */
  @Test
  void theProtocolPackageUsesNothingButTheJdkAndVertxBuffers() {
    classes().that().resideInAPackage("dev.tether.proxy.protocol..")
        .should().onlyDependOnClassesThat(DescribedPredicate.describe("the JDK, the protocol package,"
            + " io.vertx.core.buffer or io.vertx.core.Handler", LayeringTest::allowedInProtocol))
        .check(tether);
  }

  @Test
  void theProxyNeverUsesTheCoordinator() {
    noClasses().that().resideInAPackage("dev.tether.proxy..")
        .should().dependOnClassesThat().resideInAPackage("dev.tether.coordinator..")
        .check(tether);
  }

  @Test
  void theCoordinatorNeverUsesTheProxy() {
    noClasses().that().resideInAPackage("dev.tether.coordinator..")
        .should().dependOnClassesThat().resideInAPackage("dev.tether.proxy..")
        .check(tether);
  }

  /**
   * Every package of the main code is its own slice, and no two slices reach each other: a package
   * can be read, tested and moved without dragging in the ones that use it.
   */
  @Test
  void noPackageCycleInTheMainCode() {
    slices().matching("dev.tether.(**)").should().beFreeOfCycles().check(tether);
  }

  private static boolean allowedInProtocol(JavaClass target) {
    String name = target.getName();
    String pkg = target.getPackageName();
    return target.isPrimitive() || target.isArray() && allowedInProtocol(target.getBaseComponentType())
        || pkg.startsWith("java.") || pkg.startsWith("javax.") || pkg.equals("java")
        || pkg.startsWith("dev.tether.proxy.protocol")
        || pkg.equals("io.vertx.core.buffer") || name.equals(Handler.class.getName());
  }
}
