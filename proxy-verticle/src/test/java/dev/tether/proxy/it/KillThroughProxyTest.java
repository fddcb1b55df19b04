package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.it.ProxyHarness.Driver;
import dev.tether.proxy.it.ProxyHarness.Route;
import dev.tether.proxy.session.ConnectionIds;
import dev.tether.testkit.MariaDbServer;
import dev.tether.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * KILL and query cancel through the proxy behave as on the server, compared with the same steps
 * run directly: a driver's cancel (a second connection sending {@code KILL QUERY <greeting id>})
 * interrupts exactly its own statement, a {@code KILL CONNECTION} ends the session instead of being
 * healed, an unknown id gets ER 1094, and another user's kill gets the server's own refusal.
 */
class KillThroughProxyTest extends ThroughProxy {

  /** What a statement ended with: the exception class, code and SQLSTATE, or "ok". */
  private record Ending(String kind, int code, String sqlState) {
    static Ending of(SQLException e) {
      return new Ending(e.getClass().getSimpleName(), e.getErrorCode(), e.getSQLState());
    }
  }

  private static Ending run(Statement s, String sql) {
    try {
      s.execute(sql);
      return new Ending("ok", 0, null);
    } catch (SQLException e) {
      return Ending.of(e);
    }
  }

  @Test
  void greetingIdIsATetherIdAndConnectionIdIsTheProcesslistId() throws Exception {
    try (Connection c = proxy.connect(Driver.MARIADB, Route.PROXY, "")) {
      long greeting = c.unwrap(org.mariadb.jdbc.Connection.class).getThreadId();
      assertTrue(ConnectionIds.isTether(greeting), "greeting id " + greeting);
      long thread = Long.parseLong(scalar(c, "SELECT CONNECTION_ID()"));
      assertNotEquals(greeting, thread);
      assertEquals("1", processlistCount(thread, "1"), "CONNECTION_ID() is the session's processlist row");
    }
  }

  @Test
  void queryTimeoutOfMySqlConnectorJInterruptsOnlyItsOwnStatementAndTheConnectionStaysUsable() throws Exception {
    for (Route route : Route.values()) {
      try (Connection c = proxy.connect(Driver.MYSQL, route, ""); Statement s = c.createStatement()) {
        ExecutorService others = Executors.newFixedThreadPool(30);
        List<Future<Ending>> bystanders = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
          bystanders.add(others.submit(() -> {
            try (Connection o = proxy.connect(Driver.MARIADB, route, ""); Statement os = o.createStatement()) {
              return run(os, "SELECT SLEEP(3)");
            }
          }));
        }
        Thread.sleep(300);
        s.setQueryTimeout(1);
        long start = System.nanoTime();
        SQLException timedOut = assertThrows(SQLException.class, () -> s.execute("SELECT SLEEP(5)"));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(timedOut instanceof java.sql.SQLTimeoutException, route + ": " + timedOut);
        s.setQueryTimeout(0);
        assertEquals("1", scalar(c, "SELECT 1"), "usable after the timeout");
        for (Future<Ending> b : bystanders) {
          assertEquals(new Ending("ok", 0, null), b.get(20, TimeUnit.SECONDS), route + ": a bystander was interrupted");
        }
        others.shutdown();
        assertTrue(millis < 5000, route + ": the statement ran to its end (" + millis + " ms)"); // about 1 s: reported, not asserted
        System.out.printf("%s: setQueryTimeout(1) returned after %d ms%n", route, millis);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Driver.class)
  void cancelFromAnotherThreadEndsTheStatementAsDirectly(Driver driver) throws Exception {
    List<Ending> endings = new ArrayList<>();
    for (Route route : Route.values()) {
      try (Connection c = proxy.connect(driver, route, ""); Statement s = c.createStatement()) {
        Thread canceller = new Thread(() -> {
          try {
            Thread.sleep(500);
            s.cancel();
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
        canceller.start();
        long start = System.nanoTime();
        Ending ending = run(s, "SELECT SLEEP(5)");
        canceller.join();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis < 5000, route + ": the statement ran to its end (" + millis + " ms)");
        System.out.printf("%s %s: cancel() took effect after %d ms%n", driver, route, millis);
        assertEquals("1", scalar(c, "SELECT 1"));
        endings.add(ending);
      }
    }
    if (driver == Driver.MYSQL) {
      // MySQL Connector/J marks a statement cancelled only once its KILL's OK is read, so a 1317 that
      // comes first is reported as "interrupted": seen both ways directly too (the server answers the
      // killer first, usually). Either is the driver's own cancel outcome; nothing else is.
      for (Ending ending : endings) {
        assertTrue(ending.equals(new Ending("MySQLStatementCancelledException", 0, null))
            || ending.equals(new Ending("MySQLQueryInterruptedException", 1317, "70100")), ending.toString());
      }
      return;
    }
    assertEquals(endings.get(0), endings.get(1), "direct vs proxy");
  }

  @ParameterizedTest
  @EnumSource(Driver.class)
  void killConnectionByProcesslistIdEndsTheVictimAsDirectly(Driver driver) throws Exception {
    List<Ending> endings = new ArrayList<>();
    for (Route route : Route.values()) {
      try (Connection victim = proxy.connect(driver, route, ""); Statement s = victim.createStatement();
           Connection killer = proxy.connect(driver, route, ""); Statement k = killer.createStatement()) {
        long thread = Long.parseLong(scalar(victim, "SELECT CONNECTION_ID()"));
        Thread t = new Thread(() -> {
          try {
            Thread.sleep(400);
            k.execute("KILL CONNECTION " + thread);
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
        t.start();
        endings.add(run(s, "SELECT SLEEP(10)"));
        t.join();
        assertTrue(victim.isClosed() || !victim.isValid(2), route + ": the victim's connection is over");
        assertEquals("0", processlistCount(thread, "0"));
      }
    }
    assertEquals(endings.get(0), endings.get(1), "direct vs proxy");
    assertTrue(awaitClients(0), "the killed session is gone from the node");
  }

  @Test
  void operatorKillOfAnIdleSessionEndsItAsDirectly() throws Exception {
    List<Ending> endings = new ArrayList<>();
    for (Route route : Route.values()) {
      try (Connection victim = proxy.connect(Driver.MARIADB, route, ""); Statement s = victim.createStatement()) {
        long thread = Long.parseLong(scalar(victim, "SELECT CONNECTION_ID()"));
        try (Connection admin = TestDatabase.shared().admin(); Statement a = admin.createStatement()) {
          a.execute("KILL " + thread);
        }
        Thread.sleep(300);
        endings.add(run(s, "SELECT 1"));
      }
    }
    assertEquals(endings.get(0), endings.get(1), "direct vs proxy");
    assertNotEquals("ok", endings.get(1).kind());
  }

  @Test
  void killOfAnIdNoSessionHasIsUnknownThreadAsOnTheServer() throws Exception {
    long unused = ConnectionIds.MARK + 4_000_000; // a Tether id of node 0 that no session took
    try (Connection c = proxy.connect(Driver.MARIADB, Route.PROXY, ""); Statement s = c.createStatement();
         Connection d = proxy.connect(Driver.MARIADB, Route.DIRECT, ""); Statement ds = d.createStatement()) {
      for (String kill : List.of("KILL ", "KILL QUERY ", "KILL CONNECTION ")) {
        SQLException proxied = assertThrows(SQLException.class, () -> s.execute(kill + unused));
        SQLException direct = assertThrows(SQLException.class, () -> ds.execute(kill + unused));
        assertEquals(Ending.of(direct), Ending.of(proxied));
        assertEquals(withoutConnPrefix(direct.getMessage()), withoutConnPrefix(proxied.getMessage()));
      }
      assertEquals("1", scalar(c, "SELECT 1"));
    }
  }

  @Test
  void anotherUserWithoutThePrivilegeGetsTheServersRefusalAndTheVictimRunsOn() throws Exception {
    String limited = ProxyHarness.LIMITED_USER;
    try (Connection admin = TestDatabase.shared().admin(); Statement a = admin.createStatement()) {
      a.execute("CREATE USER IF NOT EXISTS '" + limited + "'@'%' IDENTIFIED BY '" + limited + "'");
      a.execute("GRANT SELECT ON tether.* TO '" + limited + "'@'%'");
    }
    try (Connection victim = proxy.connect(Driver.MARIADB, Route.PROXY, "");
         Connection other = proxy.connect(Driver.MARIADB, Route.PROXY, limited, limited, "");
         Connection otherDirect = proxy.connect(Driver.MARIADB, Route.DIRECT, limited, limited, "");
         Statement o = other.createStatement(); Statement od = otherDirect.createStatement()) {
      long greeting = victim.unwrap(org.mariadb.jdbc.Connection.class).getThreadId();
      long thread = Long.parseLong(scalar(victim, "SELECT CONNECTION_ID()"));
      SQLException refused = assertThrows(SQLException.class, () -> o.execute("KILL QUERY " + greeting));
      SQLException refusedDirectly = assertThrows(SQLException.class, () -> od.execute("KILL QUERY " + thread));
      assertEquals(Ending.of(refusedDirectly), Ending.of(refused));
      assertEquals(1095, refused.getErrorCode()); // ER_KILL_DENIED_ERROR: you are not owner of thread
      assertEquals(withoutConnPrefix(refusedDirectly.getMessage()).replace(Long.toString(thread), Long.toString(greeting)),
          withoutConnPrefix(refused.getMessage()), "the server's words, naming the id the client wrote");
      SQLException refusedConnection = assertThrows(SQLException.class, () -> o.execute("KILL " + greeting));
      assertEquals(1095, refusedConnection.getErrorCode());
      assertEquals("alive", scalar(victim, "SELECT 'alive'"));
    }
  }

  @Test
  void anotherUserWithThePrivilegeInterruptsTheStatementWith1317AsDirectly() throws Exception {
    List<Ending> endings = new ArrayList<>();
    for (Route route : Route.values()) {
      try (Connection victim = proxy.connect(Driver.MARIADB, route, ""); Statement s = victim.createStatement();
           Connection other = proxy.connect(Driver.MARIADB, route, MariaDbServer.APP2_USER, MariaDbServer.APP2_PASSWORD, "");
           Statement o = other.createStatement()) {
        long id = route == Route.PROXY ? victim.unwrap(org.mariadb.jdbc.Connection.class).getThreadId()
            : Long.parseLong(scalar(victim, "SELECT CONNECTION_ID()"));
        Thread t = new Thread(() -> {
          try {
            Thread.sleep(400);
            o.execute("KILL QUERY " + id);
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
        t.start();
        endings.add(run(s, "SELECT SLEEP(5)"));
        t.join();
        assertEquals("alive", scalar(victim, "SELECT 'alive'"));
      }
    }
    assertEquals(endings.get(0), endings.get(1), "direct vs proxy");
  }

  @Test
  void killConnectionByGreetingIdEndsThatSession() throws Exception {
    try (Connection victim = proxy.connect(Driver.MARIADB, Route.PROXY, ""); Statement s = victim.createStatement();
         Connection killer = proxy.connect(Driver.MARIADB, Route.PROXY, ""); Statement k = killer.createStatement()) {
      long greeting = victim.unwrap(org.mariadb.jdbc.Connection.class).getThreadId();
      long thread = Long.parseLong(scalar(victim, "SELECT CONNECTION_ID()"));
      k.execute("KILL CONNECTION " + greeting);
      Thread.sleep(300);
      assertNotEquals("ok", run(s, "SELECT 1").kind());
      assertEquals("0", processlistCount(thread, "0"));
      assertEquals("1", scalar(killer, "SELECT 1"));
    }
  }

  @Test
  void killOfItsOwnConnectionEndsItAsDirectly() throws Exception {
    List<Ending> endings = new ArrayList<>();
    for (Route route : Route.values()) {
      try (Connection c = proxy.connect(Driver.MARIADB, route, ""); Statement s = c.createStatement()) {
        long id = c.unwrap(org.mariadb.jdbc.Connection.class).getThreadId(); // the greeting's id either way
        long thread = Long.parseLong(scalar(c, "SELECT CONNECTION_ID()"));
        endings.add(run(s, "KILL CONNECTION " + id));
        assertTrue(!c.isValid(2), route + ": still usable after killing itself");
        assertEquals("0", processlistCount(thread, "0"));
      }
    }
    assertEquals(endings.get(0), endings.get(1), "direct vs proxy");
  }

  @Test
  void comProcessKillWithAGreetingIdEndsThatSessionAndAnUnknownIdIs1094() throws Exception {
    try (Connection victim = proxy.connect(Driver.MARIADB, Route.PROXY, "");
         RawClient killer = RawClient.login(proxy.port(), "app", "app");
         RawClient direct = RawClient.login(TestDatabase.shared().port(), "app", "app")) {
      long greeting = victim.unwrap(org.mariadb.jdbc.Connection.class).getThreadId();
      long thread = Long.parseLong(scalar(victim, "SELECT CONNECTION_ID()"));
      killer.writeFrame(0, io.vertx.core.buffer.Buffer.buffer().appendByte((byte) 0x0C).appendIntLE((int) greeting));
      assertEquals(0x00, killer.read().first(), "OK");
      assertEquals("0", processlistCount(thread, "0"));
      assertTrue(!victim.isValid(2));
      long unused = ConnectionIds.MARK + 4_000_001;
      killer.writeFrame(0, io.vertx.core.buffer.Buffer.buffer().appendByte((byte) 0x0C).appendIntLE((int) unused));
      direct.writeFrame(0, io.vertx.core.buffer.Buffer.buffer().appendByte((byte) 0x0C).appendIntLE((int) unused));
      assertEquals(direct.read().toString(), killer.read().toString());
    }
  }

  /** How many processlist rows have id {@code thread}, waiting up to five seconds for {@code expected}. */
  private static String processlistCount(long thread, String expected) throws Exception {
    for (int i = 0; i < 50; i++) {
      try (Connection admin = TestDatabase.shared().admin(); Statement s = admin.createStatement();
           ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = " + thread)) {
        rs.next();
        if (rs.getString(1).equals(expected) || i == 49) {
          return rs.getString(1);
        }
      }
      Thread.sleep(100);
    }
    return "?";
  }

  /** MariaDB Connector/J prefixes messages with "(conn=<greeting id>) ". */
  private static String withoutConnPrefix(String message) {
    return message.replaceFirst("^\\(conn=\\d+\\) ", "");
  }

  private static boolean awaitClients(int count) throws InterruptedException {
    for (int i = 0; i < 100 && proxy.openClientConnections() != count; i++) {
      Thread.sleep(50);
    }
    return proxy.openClientConnections() == count;
  }
}
