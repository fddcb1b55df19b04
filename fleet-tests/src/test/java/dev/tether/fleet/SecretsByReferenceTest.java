package dev.tether.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.coordinator.CoordinatorMain;
import dev.tether.proxy.ProxyMain;
import dev.tether.testkit.ChildJvm;
import dev.tether.testkit.MariaDbServer;
import dev.tether.testkit.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration file with no secret in it runs a fleet: a real coordinator process and a real proxy
 * process read the admin token, the database credentials and the application users' passwords from
 * environment variables and files, and a client logs in through the node with each.
 */
class SecretsByReferenceTest {
  private static final String TOKEN = "token-given-by-file-only";

  @TempDir
  Path dir;

  @Test
  void aFileWithoutSecretsRunsANodeAndACoordinator() throws Exception {
    try (MariaDbServer primary = TestDatabase.startPrivate("secrets", 1)) {
      Path tokenFile = Files.writeString(dir.resolve("admin-token"), TOKEN + "\n");
      Path replicationFile = Files.writeString(dir.resolve("replication-password"), MariaDbServer.ADMIN_PASSWORD + "\n");
      Path app2File = Files.writeString(dir.resolve("app2-password"), MariaDbServer.APP2_PASSWORD);
      int clusterPort = TestDatabase.freePort();
      int proxyPort = TestDatabase.freePort();
      int adminPort = TestDatabase.freePort();
      String yaml = String.join("\n",
          "proxy:", "  port: " + proxyPort, "  httpPort: 0", "  eventLoops: 1",
          "backend:", "  port: " + primary.port(),
          "cluster:", "  enabled: true", "  name: tether-secrets-" + ProcessHandle.current().pid(),
          "  port: " + clusterPort,
          "  members: [127.0.0.1:" + clusterPort + ", 127.0.0.1:" + (clusterPort + 1) + "]",
          "coordinator:", "  adminPort: " + adminPort, "  tokenFile: " + tokenFile,
          "  servers: [127.0.0.1:" + primary.port() + "]",
          "  adminUser: " + MariaDbServer.ADMIN_USER, "  adminPasswordEnv: TETHER_TEST_ADMIN_PASSWORD",
          "  replicationUser: " + MariaDbServer.ADMIN_USER, "  replicationPasswordFile: " + replicationFile,
          "users:",
          "  - name: " + MariaDbServer.APP_USER, "    passwordEnv: TETHER_TEST_APP_PASSWORD",
          "  - name: " + MariaDbServer.APP2_USER, "    passwordFile: " + app2File, "");
      assertFalse(yaml.contains("password:") || yaml.contains("token:") || yaml.contains(TOKEN), yaml);
      Path config = Files.writeString(dir.resolve("tether.yaml"), yaml);
      Map<String, String> environment = Map.of("TETHER_TEST_ADMIN_PASSWORD", MariaDbServer.ADMIN_PASSWORD,
          "TETHER_TEST_APP_PASSWORD", MariaDbServer.APP_PASSWORD);
      try (ChildJvm coordinator = ChildJvm.start(CoordinatorMain.class, environment, "--config", config.toString(),
              "cluster.nodeId=coordinator-1");
           ChildJvm node = ChildJvm.start(ProxyMain.class, environment, "--config", config.toString(),
              "cluster.nodeId=proxy-1")) {
        awaitLogin(proxyPort, MariaDbServer.APP_USER, MariaDbServer.APP_PASSWORD, node);
        awaitLogin(proxyPort, MariaDbServer.APP2_USER, MariaDbServer.APP2_PASSWORD, node);
        assertEquals(200, awaitAdmin(adminPort, coordinator), coordinator.output());
        assertTrue(node.isAlive() && coordinator.isAlive());
      }
    }
  }

  private static void awaitLogin(int port, String user, String password, ChildJvm node) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    SQLException last = null;
    while (System.nanoTime() < deadline && node.isAlive()) {
      try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/tether?user=" + user
          + "&password=" + password + "&sslMode=disable&connectTimeout=2000")) {
        assertEquals("1", Fleet.scalar(c, "SELECT 1"));
        return;
      } catch (SQLException e) {
        last = e;
        Thread.sleep(300);
      }
    }
    throw new AssertionError(user + " could not log in through the node: " + last + "\n" + node.output());
  }

  private static int awaitAdmin(int port, ChildJvm coordinator) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline && coordinator.isAlive()) {
      try {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
            .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode();
      } catch (java.io.IOException notYet) {
        Thread.sleep(300);
      }
    }
    throw new AssertionError("no admin API on " + port + "\n" + coordinator.output());
  }
}
