package dev.tether.fleet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.testkit.MariaDbServer;
import dev.tether.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A normal start of a coordinator and a proxy node, each in its own JVM from its jar with the
 * launcher's JVM options, logs no ERROR and no WARN: nothing an operator would have to act on.
 */
class CleanStartLogTest {

  @Test
  void aFreshNodeAndCoordinatorLogNoErrorAndNoWarning() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "clean-start-" + ProcessHandle.current().pid()));
    int clusterPort = TestDatabase.freePort();
    int adminPort = TestDatabase.freePort();
    int proxyPort = TestDatabase.freePort();
    int httpPort = TestDatabase.freePort();
    try (MariaDbServer primary = TestDatabase.startPrivate("clean-start", 1)) {
      Path config = dir.resolve("tether.yaml");
      Files.writeString(config, String.join("\n",
          "backend: { host: 127.0.0.1, port: " + primary.port() + " }",
          "cluster: { enabled: true, name: clean-start-" + ProcessHandle.current().pid() + ", host: 127.0.0.1, port: "
              + clusterPort + ", members: [127.0.0.1:" + clusterPort + ", 127.0.0.1:" + (clusterPort + 1) + "] }",
          "coordinator: { adminPort: " + adminPort + ", token: clean-start-test-token, servers: [127.0.0.1:"
              + primary.port() + "], adminUser: " + MariaDbServer.ADMIN_USER + ", adminPassword: "
              + MariaDbServer.ADMIN_PASSWORD + " }",
          "users: [ { name: app, password: app } ]", ""));
      try (JarProcess coordinator = JarProcess.start("coordinator-verticle", config, dir.resolve("coordinator.log"),
               "cluster.nodeId=coordinator-1");
           JarProcess node = JarProcess.start("proxy-verticle", config, dir.resolve("proxy.log"),
               "cluster.nodeId=proxy-1", "proxy.port=" + proxyPort, "proxy.httpPort=" + httpPort)) {
        JarProcess.awaitOk("http://127.0.0.1:" + adminPort + "/health", "clean-start-test-token", Duration.ofSeconds(120));
        JarProcess.awaitOk("http://127.0.0.1:" + httpPort + "/ready", null, Duration.ofSeconds(120));
        Thread.sleep(5000); // a few rounds of probes and health readings
        assertClean(coordinator, "coordinator active");
        assertClean(node, "Tether proxy listening");
      }
    }
  }

  private static void assertClean(JarProcess process, String started) throws Exception {
    List<String> lines = process.logLines();
    assertTrue(lines.stream().anyMatch(l -> l.contains(started)), process.log + " says '" + started + "':\n" + lines);
    List<String> bad = lines.stream()
        .filter(l -> l.contains(" ERROR ") || l.contains(" WARN ") || l.startsWith("WARNING") || l.contains("Exception"))
        .toList();
    assertTrue(bad.isEmpty(), process.log + " has no ERROR or WARN lines, but:\n" + String.join("\n", bad));
  }
}
