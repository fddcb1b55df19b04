package dev.tether.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.testkit.ChildJvm;
import dev.tether.testkit.MariaDbServer;
import dev.tether.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real coordinator process serves its admin API over TLS (a self-signed certificate made at
 * start): with the token it answers; without it, or with a wrong one, 401, counted by a metric; and
 * no line the process printed holds the token.
 */
class AdminApiOverTlsTest {
  @TempDir
  Path dir;

  @Test
  void theAdminApiOverTlsAnswersTheTokenRefusesTheRestAndNeverLogsIt() throws Exception {
    String token = "tok-" + UUID.randomUUID();
    Vertx vertx = Vertx.vertx();
    try (MariaDbServer primary = TestDatabase.startPrivate("admin-tls", 1)) {
      int clusterPort = TestDatabase.freePort();
      int adminPort = TestDatabase.freePort();
      Path config = Files.writeString(dir.resolve("tether.yaml"), String.join("\n",
          "cluster:", "  enabled: true", "  name: tether-admin-tls-" + ProcessHandle.current().pid(),
          "  port: " + clusterPort, "  members: [127.0.0.1:" + clusterPort + "]",
          "coordinator:", "  adminPort: " + adminPort, "  tokenEnv: TETHER_TEST_ADMIN_TOKEN",
          "  adminTls:", "    enabled: true",
          "  servers: [127.0.0.1:" + primary.port() + "]",
          "  replicationUser: " + MariaDbServer.ADMIN_USER, "  replicationPassword: " + MariaDbServer.ADMIN_PASSWORD, ""));
      HttpClient https = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
      HttpClient plain = vertx.createHttpClient(new HttpClientOptions());
      try (ChildJvm coordinator = ChildJvm.start(CoordinatorMain.class, Map.of("TETHER_TEST_ADMIN_TOKEN", token,
          "JAVA_TOOL_OPTIONS", "-Dorg.slf4j.simpleLogger.log.dev.tether=debug -Dorg.slf4j.simpleLogger.log.io.vertx=debug"),
          "--config", config.toString())) {
        awaitStatus(https, adminPort, "/health", "Bearer " + token, 200, coordinator);
        assertEquals(200, status(https, adminPort, "/topology", "Bearer " + token));
        assertEquals(401, status(https, adminPort, "/topology", null));
        assertEquals(401, status(https, adminPort, "/health", "Bearer wrong-" + token));
        assertEquals(401, status(https, adminPort, "/sessions", "Bearer " + token.substring(0, token.length() - 1)));
        assertEquals(401, status(https, adminPort, "/switchover", token));
        assertTrue(failsOrRefuses(plain, adminPort), "plain HTTP is not served on the TLS port");
        String metrics = body(https, adminPort, "/metrics", "Bearer " + token);
        assertTrue(metrics.contains("tether_coordinator_admin_unauthorized_total 4.0"), metrics);
        coordinator.stop();
        String output = coordinator.output();
        assertTrue(output.contains("admin API on https://"), output);
        assertFalse(output.contains(token), "the token appears in no log line");
        assertFalse(output.contains(token.substring(4)), "not even in part");
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static void awaitStatus(HttpClient client, int port, String path, String authorization, int expected,
                                  ChildJvm process) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        if (status(client, port, path, authorization) == expected) {
          return;
        }
      } catch (Exception notYet) {
        // not listening yet
      }
      Thread.sleep(300);
    }
    throw new AssertionError("the admin API did not answer " + expected + "\n" + process.output());
  }

  private static int status(HttpClient client, int port, String path, String authorization) throws Exception {
    return await(request(client, port, path, authorization).map(r -> r.statusCode()));
  }

  private static String body(HttpClient client, int port, String path, String authorization) throws Exception {
    return await(request(client, port, path, authorization).compose(r -> r.body()).map(Object::toString));
  }

  private static Future<io.vertx.core.http.HttpClientResponse> request(HttpClient client, int port, String path,
                                                                      String authorization) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI(path).setTimeout(10_000);
    if (authorization != null) {
      options.putHeader("Authorization", authorization);
    }
    return client.request(options).compose(r -> r.send());
  }

  private static boolean failsOrRefuses(HttpClient plain, int port) {
    try {
      return status(plain, port, "/health", null) != 200;
    } catch (Exception refused) {
      return true;
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
  }
}
