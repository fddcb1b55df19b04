package dev.tether.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.testkit.CounterWorkload;
import dev.tether.testkit.HaProxy;
import dev.tether.testkit.MariaDbServer;
import dev.tether.testkit.TestDatabase;
import dev.tether.testkit.TetherProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fleet as operators run it, every part its own process: two MariaDB servers with semi-sync,
 * an active and a standby coordinator, proxy nodes and HAProxy, 16 clients through HAProxy. One
 * planned switchover, one failover with the automatic rejoin of the killed primary, one scale-out
 * and one drain, then one node killed with SIGKILL: every connection not on the drained or killed
 * node is kept, new connections go to the surviving node,
 * clients see only the documented errors, every acknowledged commit is present, and the rejoined
 * server replicates from the new primary.
 */
class FleetProcessesTest {
  private static final String TOKEN = "e2e-local-test-token";
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<TetherProcess> processes = new ArrayList<>();
  private final List<HaProxy.Node> nodes = new ArrayList<>();

  @Test
  void switchoverFailoverWithRejoinScaleOutAndDrainKeepEveryConnectionThatStays() throws Exception {
    requireHaproxy();
    Path dir = Path.of("target", "e2e-" + ProcessHandle.current().pid()).toAbsolutePath();
    // as the launcher starts servers: read-only, crash-safe semi-sync (a restarted primary truncates
    // what it had not committed: AFTER_SYNC, replica role at start)
    List<String> semiSync = List.of("--read-only=ON", "--rpl-semi-sync-slave-enabled=ON",
        "--rpl-semi-sync-master-wait-point=AFTER_SYNC", "--init-rpl-role=SLAVE", "--rpl-semi-sync-master-timeout=5000");
    MariaDbServer a = TestDatabase.startPrivate("e2e-a", 1, semiSync);
    MariaDbServer b = TestDatabase.startPrivate("e2e-b", 2, semiSync);
    CounterWorkload workload = new CounterWorkload();
    HaProxy balancer = null;
    try {
      b.replicateFrom(a);
      CounterWorkload.createTable(a, 20);
      int adminPort = TestDatabase.freePort();
      Path config = writeConfig(dir, a, b, adminPort);
      for (int c = 1; c <= 2; c++) {
        processes.add(TetherProcess.start("coordinator" + c, "coordinator-verticle", config, dir,
            List.of("cluster.nodeId=coordinator-" + c)));
      }
      for (int n = 0; n < 2; n++) {
        startNode(config, dir);
      }
      awaitStatus(adminPort, "/health", 200);
      balancer = HaProxy.start(dir, nodes);
      int lb = balancer.port();
      workload.start(16, true, i -> DriverManager.getConnection(
          "jdbc:mariadb://127.0.0.1:" + lb + "/tether?user=app&password=app&sslMode=disable"));
      Thread.sleep(2000);

      JsonObject switched = admin(adminPort, "POST", "/switchover", "{}");
      assertEquals("127.0.0.1:" + b.port(), switched.getString("to"), switched.encode());
      Thread.sleep(2000);

      b.kill(); // the primary now: unplanned failover back to a
      awaitTopology(adminPort, t -> ("127.0.0.1:" + a.port()).equals(t.getString("primary")));
      Thread.sleep(1000);
      b.start(); // comes back read-only; holds nothing a lacks, so it is rejoined
      awaitTopology(adminPort, t -> t.getJsonArray("replicas").contains("127.0.0.1:" + b.port()));

      startNode(config, dir); // scale out: a third node, added once ready
      balancer.reload(nodes);
      workload.start(4, true, i -> DriverManager.getConnection(
          "jdbc:mariadb://127.0.0.1:" + lb + "/tether?user=app&password=app&sslMode=disable"));
      Thread.sleep(2000);

      workload.disconnectsExpected = true; // drain the first node: its clients are closed at the deadline
      HaProxy.Node drained = nodes.remove(0);
      JsonObject draining = post(drained.httpPort(), "/drain?timeoutSeconds=2");
      long onDrained = draining.getLong("clients");
      balancer.reload(nodes);
      awaitDrained(drained.httpPort());
      processes.get(2).stop();
      Thread.sleep(1000);

      // kill -9 of a node: its clients lose their connection (unavoidable), the other node's do not,
      // and HAProxy sends new connections only to the survivor within its health-check interval
      // (the node with fewer clients is killed, so the survivor's clients show what is kept)
      boolean firstFewer = get(nodes.get(0).httpPort(), "/drain").getLong("clients")
          <= get(nodes.get(1).httpPort(), "/drain").getLong("clients");
      HaProxy.Node killed = nodes.get(firstFewer ? 0 : 1);
      HaProxy.Node survivor = nodes.get(firstFewer ? 1 : 0);
      long onKilled = get(killed.httpPort(), "/drain").getLong("clients");
      long onSurvivorBefore = get(survivor.httpPort(), "/drain").getLong("clients");
      processes.get(firstFewer ? 3 : 4).kill();
      Thread.sleep(1500); // inter 500 ms, fall 2
      List<Connection> late = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        late.add(DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + lb + "/tether?user=app&password=app&sslMode=disable"));
      }
      assertEquals(onSurvivorBefore + 4, get(survivor.httpPort(), "/drain").getLong("clients"),
          "new connections go to the surviving node only");
      for (Connection c : late) {
        c.close();
      }
      Thread.sleep(1000);
      workload.stop();

      assertTrue(workload.errors.isEmpty(), "undocumented client errors: " + workload.errors);
      assertEquals(onDrained + onKilled, workload.disconnected.get(),
          "only the drained and the killed node's clients were disconnected");
      int kept = 0;
      for (Connection c : workload.connections) {
        if (c.isValid(5)) {
          kept++;
          assertEquals("1", Fleet.scalar(c, "SELECT @@server_id"), "on the primary after the failover");
        }
      }
      assertEquals(20 - onDrained - onKilled, kept, "every connection not on the drained or killed node was kept");
      assertTrue(kept > 0, "some clients were on the surviving node");
      long committed = CounterWorkload.committedOn(a) / 3;
      assertTrue(committed >= workload.acknowledged.get(), "acknowledged " + workload.acknowledged.get()
          + ", committed " + committed);
      try (Connection c = DriverManager.getConnection(b.jdbcUrl(MariaDbServer.ADMIN_USER, MariaDbServer.ADMIN_PASSWORD));
           Statement s = c.createStatement(); ResultSet status = s.executeQuery("SHOW SLAVE STATUS")) {
        assertTrue(status.next());
        assertEquals(a.port(), status.getInt("Master_Port"), "the rejoined server replicates from the new primary");
        assertEquals("Yes", status.getString("Slave_IO_Running"));
        assertEquals("Yes", status.getString("Slave_SQL_Running"));
      }
      System.out.printf("fleet processes: %d commits acknowledged, %d lost and retried, %d outcomes unknown;"
              + " of 20 clients %d kept, %d drained, %d on the killed node%n", workload.acknowledged.get(),
          workload.lost.get(), workload.unknown.get(), kept, onDrained, onKilled);
    } finally {
      workload.close();
      if (balancer != null) {
        balancer.close();
      }
      for (TetherProcess process : processes) {
        process.close();
      }
      b.stop();
      a.stop();
    }
  }

  /** ./tether test installs HAProxy (and sets TETHER_REQUIRE_TOOLS); elsewhere the test is skipped without it. */
  private static void requireHaproxy() {
    boolean present = Files.isExecutable(Path.of("/usr/sbin/haproxy")) || Files.isExecutable(Path.of("/usr/bin/haproxy"));
    if (!present && System.getenv("TETHER_REQUIRE_TOOLS") != null) {
      throw new AssertionError("haproxy is not installed, but ./tether test should have installed it");
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(present, "haproxy is not installed; ./tether test installs it");
  }

  private void startNode(Path config, Path dir) throws Exception {
    int port = TestDatabase.freePort();
    int httpPort = TestDatabase.freePort();
    processes.add(TetherProcess.start("node" + processes.size(), "proxy-verticle", config, dir, List.of(
        "proxy.port=" + port, "proxy.httpPort=" + httpPort, "cluster.nodeId=node-" + port)));
    awaitStatus(httpPort, "/health", 200);
    try (Connection first = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port
        + "/tether?user=app&password=app&sslMode=disable")) {
      Fleet.scalar(first, "SELECT 1"); // the node has seen its backend: ready from now on
    }
    awaitStatus(httpPort, "/ready", 200);
    nodes.add(new HaProxy.Node(port, httpPort));
  }

  private static Path writeConfig(Path dir, MariaDbServer primary, MariaDbServer replica, int adminPort)
      throws Exception {
    int clusterPort = TestDatabase.freePort();
    JsonArray members = new JsonArray();
    for (int i = 0; i < 6; i++) {
      members.add("127.0.0.1:" + (clusterPort + i));
    }
    JsonObject config = new JsonObject()
        .put("proxy", new JsonObject().put("eventLoops", 1))
        .put("backend", new JsonObject().put("port", primary.port()))
        .put("cluster", new JsonObject().put("enabled", true).put("name", "tether-e2e-" + ProcessHandle.current().pid())
            .put("port", clusterPort).put("members", members))
        .put("coordinator", new JsonObject().put("adminPort", adminPort).put("token", TOKEN)
            .put("servers", new JsonArray().add("127.0.0.1:" + primary.port()).add("127.0.0.1:" + replica.port()))
            .put("adminUser", MariaDbServer.ADMIN_USER).put("adminPassword", MariaDbServer.ADMIN_PASSWORD)
            .put("replicationUser", MariaDbServer.ADMIN_USER).put("replicationPassword", MariaDbServer.ADMIN_PASSWORD)
            .put("probeIntervalMs", 200).put("monitorIntervalMs", 1000))
        .put("users", new JsonArray().add(new JsonObject().put("name", "app").put("password", "app")));
    Files.createDirectories(dir);
    Path file = dir.resolve("tether.yaml");
    Files.writeString(file, config.encodePrettily()); // JSON is YAML
    return file;
  }

  private JsonObject admin(int port, String method, String path, String body) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + TOKEN)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  private JsonObject get(int port, String path) throws Exception {
    return new JsonObject(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  private JsonObject post(int port, String path) throws Exception {
    return new JsonObject(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  private void awaitStatus(int port, String path, int status) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == status) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError(path + " on " + port + " never answered " + status + "; logs in target/e2e-*");
  }

  private void awaitDrained(int httpPort) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/drain")).build(),
          HttpResponse.BodyHandlers.ofString()).body().contains("\"clients\":0")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the drained node kept clients past its deadline");
  }

  private void awaitTopology(int adminPort, java.util.function.Predicate<JsonObject> wanted) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonObject last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = admin(adminPort, "GET", "/topology", null);
        if ("STABLE".equals(last.getString("phase")) && wanted.test(last)) {
          return;
        }
      } catch (java.io.IOException | AssertionError notNow) {
        // between coordinators, or mid-switchover
      }
      Thread.sleep(200);
    }
    throw new AssertionError("topology never got there; last " + last);
  }
}
