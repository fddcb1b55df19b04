package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.it.ProxyHarness.Route;
import dev.tether.testkit.MariaDbServer;
import dev.tether.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.mysqlclient.MySQLConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code KILL CONNECTION <processlist id>} from a second session ends the victim as on the server,
 * with the Vert.x MySQL client and PyMySQL as victims (compared with the same steps run directly),
 * and a pool of one whose connection was killed reconnects without the server ever holding two
 * sessions for it.
 */
class KillWithOtherClientsTest extends ThroughProxy {
  private static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static int port(Route route) {
    return route == Route.PROXY ? proxy.port() : TestDatabase.shared().port();
  }

  private static MySQLConnectOptions options(Route route, String user) {
    return new MySQLConnectOptions().setHost("127.0.0.1").setPort(port(route)).setUser(user).setPassword(user)
        .setDatabase("tether");
  }

  private static void killFromAnotherSession(long thread) throws Exception {
    try (Connection killer = proxy.connect(ProxyHarness.Driver.MARIADB, Route.PROXY, ""); Statement k = killer.createStatement()) {
      k.execute("KILL CONNECTION " + thread);
    }
  }

  @Test
  void vertxClientVictimFailsWithTheClosedConnectionErrorItGetsDirectly() throws Exception {
    List<String> endings = new ArrayList<>();
    for (Route route : Route.values()) {
      MySQLConnection c = await(MySQLConnection.connect(vertx, options(route, "app")));
      long thread = await(c.query("SELECT CONNECTION_ID() AS id").execute()).iterator().next().getLong("id");
      Future<?> running = c.query("SELECT SLEEP(10)").execute();
      Thread.sleep(400);
      killFromAnotherSession(thread);
      try {
        await(running);
        endings.add("completed");
      } catch (Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        endings.add(cause.getClass().getSimpleName() + ": " + cause.getMessage());
      }
      assertEquals(0, sessionsWithId(thread));
      c.close();
    }
    assertEquals(endings.get(0), endings.get(1), "direct vs proxy");
  }

  @Test
  void pyMySqlVictimFailsWithTheClosedConnectionErrorItGetsDirectly() throws Exception {
    List<String> endings = new ArrayList<>();
    for (Route route : Route.values()) {
      String script = String.join("\n",
          "import pymysql, sys",
          "c = pymysql.connect(host='127.0.0.1', port=" + port(route) + ", user='app', password='app', database='tether')",
          "cur = c.cursor(); cur.execute('SELECT CONNECTION_ID()'); print(cur.fetchone()[0], flush=True)",
          "try:",
          "    cur.execute('SELECT SLEEP(10)'); print('completed')",
          "except Exception as e:",
          "    print(type(e).__name__, e.args[0])");
      Process python = new ProcessBuilder("/usr/bin/python3", "-c", script).redirectErrorStream(true).start();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))) {
        long thread = Long.parseLong(out.readLine().trim());
        Thread.sleep(400);
        killFromAnotherSession(thread);
        endings.add(out.readLine());
        assertTrue(python.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, sessionsWithId(thread));
      }
    }
    assertEquals(endings.get(0), endings.get(1), "direct vs proxy");
    assertTrue(endings.get(1).startsWith("OperationalError"), endings.get(1));
  }

  @Test
  void poolOfOneWhoseConnectionWasKilledReconnectsWithoutTwoServerSessions() throws Exception {
    String user = MariaDbServer.APP2_USER;
    for (Route route : Route.values()) {
      Pool pool = MySQLBuilder.pool().with(new PoolOptions().setMaxSize(1))
          .connectingTo(options(route, user)).using(vertx).build();
      try {
        long first = await(pool.query("SELECT CONNECTION_ID() AS id").execute()).iterator().next().getLong("id");
        assertEquals(1, sessionsOf(user), route + " before the kill");
        try (Connection admin = TestDatabase.shared().admin(); Statement a = admin.createStatement()) {
          a.execute("KILL CONNECTION " + first);
        }
        Thread.sleep(300);
        Row row = null;
        for (int attempt = 0; attempt < 3 && row == null; attempt++) {
          try {
            row = await(pool.query("SELECT CONNECTION_ID() AS id").execute()).iterator().next();
          } catch (Exception closedWhileIdle) {
            // a pool may hand out the dead connection once, as directly
          }
        }
        assertTrue(row != null, route + ": the pool did not reconnect");
        assertTrue(row.getLong("id") != first);
        Thread.sleep(500); // a healed backend would show up here as a second session
        assertEquals(1, sessionsOf(user), route + " after the pool reconnected");
      } finally {
        await(pool.close());
      }
    }
  }

  private static int sessionsOf(String user) throws Exception {
    return count("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = '" + user + "'");
  }

  private static int sessionsWithId(long thread) throws Exception {
    for (int i = 0; i < 50; i++) {
      if (count("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = " + thread) == 0) {
        return 0;
      }
      Thread.sleep(100);
    }
    return 1;
  }

  private static int count(String sql) throws Exception {
    try (Connection admin = TestDatabase.shared().admin(); Statement s = admin.createStatement();
         ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
