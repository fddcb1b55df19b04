package dev.tether.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of configuration mistake is refused with one line that names the key and the problem. */
class ConfigurationErrorsTest {
  private static Vertx vertx;
  @TempDir
  Path dir;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aTypoInANestedKeyIsRefusedNotIgnored() throws Exception {
    assertRefused("proxy:\n  prot: 6034\n", Map.of(), "proxy.prot: unknown key");
  }

  @Test
  void aTypoInATopLevelKeyIsRefused() throws Exception {
    assertRefused("proxi:\n  port: 6034\n", Map.of(), "proxi: unknown key");
  }

  @Test
  void aTypoThreeLevelsDownIsRefused() throws Exception {
    assertRefused("proxy:\n  tls:\n    enabeld: false\n", Map.of(), "proxy.tls.enabeld: unknown key");
  }

  @Test
  void aTypoInAUserIsRefusedWithItsIndex() throws Exception {
    assertRefused("users:\n  - name: a\n    password: a\n  - name: b\n    passwrod: b\n", Map.of(),
        "users[1].passwrod: unknown key");
  }

  @Test
  void aTypoOnTheCommandLineIsRefused() throws Exception {
    assertRefused("", Map.of("proxy.prot", "6034"), "proxy.prot: unknown key");
  }

  @Test
  void aCommandLineKeyBelowAValueIsRefused() throws Exception {
    assertRefused("proxy:\n  port: 6033\n", Map.of("proxy.port.x", "1"), "proxy.port: is a value, not a section");
  }

  @Test
  void textWhereANumberBelongsIsRefused() throws Exception {
    assertRefused("proxy:\n  port: six\n", Map.of(), "proxy.port: expected a whole number, got the text \"six\"");
  }

  @Test
  void aNumberWhereASwitchBelongsIsRefused() throws Exception {
    assertRefused("session:\n  persistent: 1\n", Map.of(), "session.persistent: expected true or false");
  }

  @Test
  void aSectionWrittenAsAValueIsRefused() throws Exception {
    assertRefused("proxy: 6033\n", Map.of(), "proxy: expected a section of keys");
  }

  @Test
  void aPortOutOfRangeIsRefused() throws Exception {
    assertRefused("backend:\n  port: 70000\n", Map.of(), "backend.port: 70000 is out of range 0..65535");
    assertRefused("", Map.of("proxy.httpPort", "-1"), "proxy.httpPort: -1 is out of range 0..65535");
  }

  @Test
  void aMissingCertificateFileIsRefusedAtStart() throws Exception {
    assertRefused("proxy:\n  tls:\n    certPath: /nonexistent/server-cert.pem\n    keyPath: /nonexistent/key.pem\n",
        Map.of(), "proxy.tls.certPath: file not found: /nonexistent/server-cert.pem");
  }

  @Test
  void anUnknownAuthPluginIsRefused() throws Exception {
    assertRefused("proxy:\n  authPlugin: mysql_old_password\n", Map.of(),
        "proxy.authPlugin: 'mysql_old_password' is not one of");
  }

  @Test
  void aUserWithoutANameIsRefused() throws Exception {
    assertRefused("users:\n  - password: x\n", Map.of(), "users[0].name: missing");
  }

  @Test
  void eventBusTlsWithoutACertificateIsRefused() throws Exception {
    assertRefused("cluster:\n  tls:\n    enabled: true\n", Map.of(), "cluster.tls.certPath: required when cluster.tls.enabled");
  }

  @Test
  void aRefusalThresholdBelowTheDelayThresholdIsRefused() throws Exception {
    assertRefused("proxy:\n  authThrottle:\n    failuresBeforeDelay: 10\n    failuresBeforeRefusal: 5\n", Map.of(),
        "proxy.authThrottle.failuresBeforeRefusal: must be at least failuresBeforeDelay (10)");
  }

  @Test
  void aThrottleDelayLongerThanAHandshakeMayWaitIsRefused() throws Exception {
    assertRefused("", Map.of("proxy.authThrottle.delayMs", "60000"), "proxy.authThrottle.delayMs: 60000 is out of range 0..5000");
  }

  @Test
  void aMissingConfigurationFileIsRefused() {
    ConfigException error = failure(dir.resolve("absent.yaml").toString(), Map.of());
    assertTrue(error.getMessage().startsWith("--config: file not found"), error.getMessage());
  }

  @Test
  void aFileThatIsNotYamlIsRefused() throws Exception {
    assertRefused("proxy: [unclosed\n", Map.of(), "--config: cannot read");
  }

  @Test
  void aCorrectFileWithOverridesLoadsAndListsComeFromCommas() throws Exception {
    Path file = write("proxy:\n  port: 6040\ncluster:\n  name: 1234\n");
    TetherConfig config = ConfigLoader.load(vertx, file.toString(),
            Map.of("cluster.members", "127.0.0.1:5701,127.0.0.1:5702", "cluster.nodeId", "7"))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(6040, config.proxy().port());
    assertEquals("1234", config.cluster().name());
    assertEquals("7", config.cluster().nodeId());
    assertEquals(java.util.List.of("127.0.0.1:5701", "127.0.0.1:5702"), config.cluster().members());
  }

  @Test
  void everyMistakeIsOneLine() throws Exception {
    ConfigException error = failure(write("proxy:\n  prot: 1\n").toString(), Map.of());
    assertTrue(!error.getMessage().contains("\n"), error.getMessage());
  }

  private void assertRefused(String yaml, Map<String, String> overrides, String expectedStart) throws Exception {
    ConfigException error = failure(write(yaml).toString(), overrides);
    assertTrue(error.getMessage().startsWith(expectedStart), "got: " + error.getMessage());
    assertTrue(!error.getMessage().contains("\n"), error.getMessage());
  }

  private Path write(String yaml) throws Exception {
    Path file = Files.createTempFile(dir, "tether", ".yaml");
    Files.writeString(file, yaml.isEmpty() ? "{}\n" : yaml);
    return file;
  }

  private static ConfigException failure(String path, Map<String, String> overrides) {
    ExecutionException thrown = assertThrows(ExecutionException.class, () -> ConfigLoader.load(vertx, path, overrides)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    return assertInstanceOf(ConfigException.class, thrown.getCause());
  }
}
