package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tether.proxy.it.RawClient.Packet;
import dev.tether.testkit.TestDatabase;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that sent a statement's parameter types once omits them from later executes
 * (new-params-bound 0), as libmariadb and libmysqlclient do; the server re-prepared after a lost
 * backend never saw them, so the node puts them back. Whether the loss came between two executes,
 * during one, or inside a transaction, the client's next executes are answered, never with 1210.
 */
class OmittedParameterTypesAfterLossTest {
  private static final int COM_STMT_PREPARE = 0x16;
  private static final int COM_STMT_EXECUTE = 0x17;
  private static final int MYSQL_TYPE_LONGLONG = 0x08;
  private static ProxyHarness proxy;

  @BeforeAll
  static void startProxy() throws Exception {
    proxy = ProxyHarness.start(TestDatabase.shared().port(), Map.of());
  }

  @AfterAll
  static void stopProxy() throws Exception {
    proxy.close();
  }

  @Test
  void typesArePutBackAfterALossBetweenExecutes() throws Exception {
    try (RawClient c = RawClient.login(proxy.port(), "app", "app")) {
      long id = prepare(c, "SELECT ? + 1");
      assertEquals("rows", execute(c, id, 41, true));
      assertEquals("rows", execute(c, id, 1, false));
      proxy.loseBackends(1);
      assertEquals("rows", execute(c, id, 2, false));
      assertEquals("rows", execute(c, id, 3, false));
    }
  }

  @Test
  void typesArePutBackIntoAnExecuteResentAfterALossDuringIt() throws Exception {
    try (RawClient c = RawClient.login(proxy.port(), "app", "app")) {
      long id = prepare(c, "SELECT SLEEP(0.6) + ?");
      assertEquals("rows", execute(c, id, 1, true));
      sendExecute(c, id, 2, false);
      Thread.sleep(200);
      proxy.loseBackends(1);
      assertEquals("rows", readResult(c), "the execute in flight, resent");
      assertEquals("rows", execute(c, id, 3, false));
    }
  }

  @Test
  void typesArePutBackAfterATransactionWasLost() throws Exception {
    try (RawClient c = RawClient.login(proxy.port(), "app", "app")) {
      long id = prepare(c, "SELECT ? + 1");
      assertEquals("rows", execute(c, id, 41, true));
      c.query("BEGIN");
      assertEquals(0x00, c.read().first());
      assertEquals("rows", execute(c, id, 1, false));
      proxy.loseBackends(1);
      String next = execute(c, id, 2, false);
      if (!next.equals("rows")) {
        assertEquals("ERR 1213", next, "the transaction was lost, and said so");
      }
      assertEquals("rows", execute(c, id, 3, false));
    }
  }

  /**
   * The loss notice answers the next statement without sending it. When that is a statement's
   * first execute, its types went nowhere, yet the client omits them from then on (as libmariadb
   * does whatever the answer was): the node keeps them from the execute it answered itself.
   */
  @Test
  void typesOfAnExecuteAnsweredWithTheLossNoticeAreKept() throws Exception {
    try (RawClient c = RawClient.login(proxy.port(), "app", "app")) {
      long used = prepare(c, "SELECT ? + 1");
      long firstUseAfterLoss = prepare(c, "SELECT ? + 2");
      assertEquals("rows", execute(c, used, 41, true));
      c.query("BEGIN");
      assertEquals(0x00, c.read().first());
      c.query("DO GET_LOCK('omitted-types-notice', 0)"); // a named lock: the transaction cannot be replayed
      assertEquals(0x00, c.read().first());
      proxy.loseBackends(1);
      assertEquals("ERR 1213", execute(c, firstUseAfterLoss, 1, true), "the lost transaction is told first");
      assertEquals("rows", execute(c, firstUseAfterLoss, 2, false), "its types were kept, not lost with the notice");
      assertEquals("rows", execute(c, used, 3, false));
    }
  }

  /** The same through a planned switchover: between executes, and with a transaction open past the block window. */
  @Test
  void typesArePutBackAfterASwitchover() throws Exception {
    dev.tether.testkit.MariaDbServer primary = TestDatabase.startPrivate("types-sw-a", 1);
    dev.tether.testkit.MariaDbServer replica = TestDatabase.startPrivate("types-sw-b", 2);
    try {
      replica.replicateFrom(primary);
      try (ProxyHarness node = ProxyHarness.start(primary.port(), Map.of());
           RawClient idle = RawClient.login(node.port(), "app", "app");
           RawClient inTransaction = RawClient.login(node.port(), "app", "app")) {
        long idleId = prepare(idle, "SELECT ? + 1");
        assertEquals("rows", execute(idle, idleId, 41, true));
        long txId = prepare(inTransaction, "SELECT ? + 1");
        assertEquals("rows", execute(inTransaction, txId, 41, true));
        inTransaction.query("BEGIN");
        assertEquals(0x00, inTransaction.read().first());
        assertEquals("rows", execute(inTransaction, txId, 1, false));

        var switchover = node.node().switchover();
        switchover.block(1, java.time.Duration.ofMillis(300)).toCompletionStage().toCompletableFuture()
            .get(30, java.util.concurrent.TimeUnit.SECONDS);
        dev.tether.testkit.Promotion.planned(primary, replica);
        switchover.switchTo(new dev.tether.proxy.backend.BackendTarget("127.0.0.1", replica.port(), 1))
            .toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        switchover.restore(1).toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertEquals("rows", execute(idle, idleId, 2, false));
        String next = execute(inTransaction, txId, 2, false);
        if (!next.equals("rows")) {
          assertEquals("ERR 1213", next, "the transaction was lost at the switchover, and said so");
        }
        assertEquals("rows", execute(inTransaction, txId, 3, false));
      }
    } finally {
      replica.stop();
      primary.stop();
    }
  }

  /** And through a failover: the primary killed, a replica promoted, the node told to switch. */
  @Test
  void typesArePutBackAfterAFailover() throws Exception {
    dev.tether.testkit.MariaDbServer primary = TestDatabase.startPrivate("types-fo-a", 1);
    dev.tether.testkit.MariaDbServer replica = TestDatabase.startPrivate("types-fo-b", 2);
    try {
      replica.replicateFrom(primary);
      try (ProxyHarness node = ProxyHarness.start(primary.port(), Map.of());
           RawClient idle = RawClient.login(node.port(), "app", "app");
           RawClient inTransaction = RawClient.login(node.port(), "app", "app");
           RawClient inFlight = RawClient.login(node.port(), "app", "app")) {
        long idleId = prepare(idle, "SELECT ? + 1");
        assertEquals("rows", execute(idle, idleId, 41, true));
        long txId = prepare(inTransaction, "SELECT ? + 1");
        assertEquals("rows", execute(inTransaction, txId, 41, true));
        inTransaction.query("BEGIN");
        assertEquals(0x00, inTransaction.read().first());
        assertEquals("rows", execute(inTransaction, txId, 1, false));
        long flightId = prepare(inFlight, "SELECT SLEEP(2) + ?");
        assertEquals("rows", execute(inFlight, flightId, 1, true));
        sendExecute(inFlight, flightId, 2, false);
        Thread.sleep(300);

        primary.kill();
        Thread.sleep(500); // the sessions notice, and wait for a primary
        try (java.sql.Connection admin = java.sql.DriverManager.getConnection(
                replica.jdbcUrl(dev.tether.testkit.MariaDbServer.ADMIN_USER, dev.tether.testkit.MariaDbServer.ADMIN_PASSWORD));
             java.sql.Statement s = admin.createStatement()) {
          s.execute("STOP SLAVE");
          s.execute("RESET SLAVE ALL");
          s.execute("SET GLOBAL read_only = OFF");
        }
        node.node().switchover().switchTo(new dev.tether.proxy.backend.BackendTarget("127.0.0.1", replica.port(), 1))
            .toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertEquals("rows", execute(idle, idleId, 2, false));
        String next = execute(inTransaction, txId, 2, false);
        if (!next.equals("rows")) {
          assertEquals("ERR 1213", next, "the transaction was lost at the failover, and said so");
        }
        assertEquals("rows", execute(inTransaction, txId, 3, false));
        String resent = readResult(inFlight);
        if (!resent.equals("rows")) {
          assertEquals("ERR 1105", resent, "the execute in flight at the crash");
        }
        assertEquals("rows", execute(inFlight, flightId, 3, false));
      }
    } finally {
      replica.stop();
      primary.stop();
    }
  }

  private static long prepare(RawClient c, String sql) throws IOException {
    c.writeFrame(0, Buffer.buffer().appendByte((byte) COM_STMT_PREPARE).appendString(sql));
    Packet ok = c.read();
    assertEquals(0x00, ok.first(), "prepare answered OK: " + ok.payload());
    long id = ok.payload().getUnsignedIntLE(1);
    int columns = ok.payload().getUnsignedShortLE(5);
    int params = ok.payload().getUnsignedShortLE(7);
    for (int i = 0; i < params + (params > 0 ? 1 : 0) + columns + (columns > 0 ? 1 : 0); i++) {
      c.read(); // parameter and column definitions, each list followed by an EOF
    }
    return id;
  }

  private static String execute(RawClient c, long id, long value, boolean withTypes) throws IOException {
    sendExecute(c, id, value, withTypes);
    return readResult(c);
  }

  /** COM_STMT_EXECUTE of a one-parameter statement, with or without its type (new-params-bound). */
  private static void sendExecute(RawClient c, long id, long value, boolean withTypes) throws IOException {
    Buffer payload = Buffer.buffer().appendByte((byte) COM_STMT_EXECUTE).appendUnsignedIntLE(id)
        .appendByte((byte) 0).appendUnsignedIntLE(1)
        .appendByte((byte) 0) // null bitmap
        .appendByte((byte) (withTypes ? 1 : 0));
    if (withTypes) {
      payload.appendByte((byte) MYSQL_TYPE_LONGLONG).appendByte((byte) 0);
    }
    payload.appendLongLE(value);
    c.writeFrame(0, payload);
  }

  /** "rows" for a binary result set read to its end, or "ERR code". */
  private static String readResult(RawClient c) throws IOException {
    Packet first = c.read();
    if (first.isErr()) {
      return "ERR " + first.errorCode();
    }
    int eofs = 0;
    while (eofs < 2) { // after the column definitions, and after the rows (no CLIENT_DEPRECATE_EOF)
      Packet p = c.read();
      if (p.first() == 0xFE && p.payload().length() < 9) {
        eofs++;
      } else if (p.isErr()) {
        return "ERR " + p.errorCode();
      }
    }
    return "rows";
  }
}
