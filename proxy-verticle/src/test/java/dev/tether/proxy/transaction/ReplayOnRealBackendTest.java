package dev.tether.proxy.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.protocol.ServerStatus;
import dev.tether.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Transactions recorded on one real backend connection, which is then lost, and replayed on a new
 * one opened with the proxy's own connector: verified when nothing changed, refused when the data
 * or the statements say it would not be the same transaction.
 */
class ReplayOnRealBackendTest {
  private static Vertx vertx;
  private static int port;
  private final TransactionJournalTest.FakeSession view = new TransactionJournalTest.FakeSession();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    port = TestDatabase.shared().port();
    // Statements and connections other test classes left open on the shared server, for when a
    // prepare here fails on a server-wide limit (it did once, unexplained).
    try (Connection admin = TestDatabase.shared().admin(); Statement s = admin.createStatement();
         ResultSet rs = s.executeQuery("SELECT GROUP_CONCAT(CONCAT(VARIABLE_NAME, '=', VARIABLE_VALUE))"
             + " FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN ('PREPARED_STMT_COUNT', 'THREADS_CONNECTED')")) {
      rs.next();
      System.err.println("shared test server before ReplayOnRealBackendTest: " + rs.getString(1));
    }
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  @BeforeEach
  void table() throws Exception {
    try (Connection admin = TestDatabase.shared().admin(); Statement s = admin.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS tether.replay_t (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB");
      s.execute("DELETE FROM tether.replay_t");
      s.execute("INSERT INTO tether.replay_t VALUES (1, 10), (2, 20), (3, 30)");
    }
  }

  private TransactionJournal journal() {
    return new TransactionJournal(view, 1 << 20, 1000, false);
  }

  private static List<Integer> values() throws Exception {
    try (Connection admin = TestDatabase.shared().admin(); Statement s = admin.createStatement();
         ResultSet rs = s.executeQuery("SELECT v FROM tether.replay_t ORDER BY id")) {
      List<Integer> values = new java.util.ArrayList<>();
      while (rs.next()) {
        values.add(rs.getInt(1));
      }
      return values;
    }
  }

  private static ReplayResult replay(BackendSession on, TransactionJournal journal, StatementTranslator ids,
                                     Duration bound) {
    ReplayResult result = on.on(() -> TransactionReplay.run(vertx, on.backend, journal, ids, bound));
    if (!on.backend.isClosed()) {
      on.reclaim(result.statusFlags());
    }
    return result;
  }

  @Test
  void aLostTransactionIsReplayedVerifiedAndFinishesAsIfNothingHappened() throws Exception {
    TransactionJournal journal = journal();
    BackendSession first = BackendSession.open(vertx, port, journal);
    first.send("START TRANSACTION WITH CONSISTENT SNAPSHOT");
    first.send("UPDATE tether.replay_t SET v = v + 1 WHERE id = 1");
    first.send("UPDATE tether.replay_t SET v = v + 1 WHERE id = 2");
    first.send("UPDATE tether.replay_t SET v = v + 1 WHERE id = 3");
    first.send("SELECT id, v FROM tether.replay_t ORDER BY id");
    first.close(); // the server rolls the transaction back
    assertEquals(TransactionLoss.Kind.REPLAY, journal.onBackendLost().kind());

    BackendSession second = BackendSession.open(vertx, port, journal);
    ReplayResult result = replay(second, journal, StatementTranslator.IDENTITY, Duration.ofSeconds(5));
    assertTrue(result.replayed(), result.detail());
    assertTrue((second.statusFlags() & ServerStatus.IN_TRANS) != 0, "the transaction is open on the new connection");
    second.send("UPDATE tether.replay_t SET v = v * 2 WHERE id = 1");
    second.send("UPDATE tether.replay_t SET v = v * 2 WHERE id = 2");
    second.send("COMMIT");
    assertEquals(List.of(22, 42, 31), values());
    assertEquals(JournalState.IDLE, journal.state());
    second.close();
  }

  @Test
  void aRowChangedByAnotherSessionMeanwhileIsAMismatchAndTheChangeSurvives() throws Exception {
    TransactionJournal journal = journal();
    BackendSession first = BackendSession.open(vertx, port, journal);
    first.send("BEGIN");
    first.send("SELECT v FROM tether.replay_t WHERE id = 1");
    first.send("UPDATE tether.replay_t SET v = v + 5 WHERE id = 2");
    first.close();
    journal.onBackendLost();
    try (Connection admin = TestDatabase.shared().admin(); Statement s = admin.createStatement()) {
      s.execute("UPDATE tether.replay_t SET v = 99 WHERE id = 1");
    }

    BackendSession second = BackendSession.open(vertx, port, journal);
    ReplayResult result = replay(second, journal, StatementTranslator.IDENTITY, Duration.ofSeconds(5));
    assertEquals(ReplayOutcome.MISMATCH, result.outcome(), result.detail());
    assertEquals(1, result.statement(), "the SELECT whose row changed (0 is the BEGIN)");
    assertFalse((second.statusFlags() & ServerStatus.IN_TRANS) != 0, "rolled back on the new connection");
    assertEquals(1, second.send("SELECT 1").size() > 0 ? 1 : 0, "the connection stays usable");
    assertEquals(List.of(99, 20, 30), values(), "the other session's change is intact, nothing of ours applied");
    second.close();
  }

  @Test
  void aTransactionThatWroteNowIsNotReplayedButTheSameWithoutItIs() throws Exception {
    TransactionJournal journal = journal();
    BackendSession first = BackendSession.open(vertx, port, journal);
    first.send("BEGIN");
    first.send("UPDATE tether.replay_t SET v = v + 1 WHERE id = 1 AND NOW() > '2000-01-01'");
    first.close();
    assertEquals(TransactionLoss.Kind.REFUSED, journal.onBackendLost().kind());
    BackendSession second = BackendSession.open(vertx, port, journal);
    ReplayResult refused = replay(second, journal, StatementTranslator.IDENTITY, Duration.ofSeconds(5));
    assertEquals(ReplayOutcome.NOT_REPLAYABLE, refused.outcome());
    assertEquals("non_deterministic", refused.label());
    second.close();

    TransactionJournal plain = journal();
    BackendSession third = BackendSession.open(vertx, port, plain);
    third.send("BEGIN");
    third.send("UPDATE tether.replay_t SET v = v + 1 WHERE id = 1 AND '2026-01-01' > '2000-01-01'");
    third.close();
    plain.onBackendLost();
    BackendSession fourth = BackendSession.open(vertx, port, plain);
    assertTrue(replay(fourth, plain, StatementTranslator.IDENTITY, Duration.ofSeconds(5)).replayed());
    fourth.send("COMMIT");
    assertEquals(List.of(11, 20, 30), values());
    fourth.close();
  }

  static Buffer execute(long id, int delta, int rowId, boolean withTypes) {
    Buffer b = Buffer.buffer().appendByte((byte) 0x17).appendUnsignedIntLE(id).appendByte((byte) 0)
        .appendUnsignedIntLE(1).appendByte((byte) 0); // null bitmap of two parameters
    b.appendByte((byte) (withTypes ? 1 : 0));
    if (withTypes) {
      b.appendBytes(new byte[] {3, 0, 3, 0}); // two LONGs
    }
    return b.appendIntLE(delta).appendIntLE(rowId);
  }

  /** COM_STMT_PREPARE as the session's state replay sends it: outside the journal. */
  private static long prepare(BackendSession on, String sql) {
    Buffer ok = on.sendUnrecorded(Buffer.buffer().appendByte((byte) 0x16).appendString(sql)).get(0);
    if (ok.getUnsignedByte(0) != 0x00) { // an ERR's code and SQLSTATE would pass for an id
      throw new AssertionError("COM_STMT_PREPARE of " + sql + " failed: " + ok.getUnsignedShortLE(1) + " "
          + ok.getString(3, ok.length(), "UTF-8"));
    }
    return ok.getUnsignedIntLE(1);
  }

  @Test
  void preparedStatementsAreReplayedUnderTheirNewBackendIds() throws Exception {
    String sql = "UPDATE tether.replay_t SET v = v + ? WHERE id = ?";
    TransactionJournal journal = journal();
    BackendSession first = BackendSession.open(vertx, port, journal);
    long clientId = prepare(first, sql);
    first.send(execute(clientId, 1, 1, true)); // types sent before the transaction
    view.sql.put(clientId, sql);
    view.types.put(clientId, new byte[] {3, 0, 3, 0});
    first.send("BEGIN");
    first.send(execute(clientId, 100, 2, false)); // the types are omitted: the server still has them
    first.send(execute(clientId, 1000, 3, true));
    first.close();
    assertEquals(TransactionLoss.Kind.REPLAY, journal.onBackendLost().kind());

    BackendSession second = BackendSession.open(vertx, port, journal);
    prepare(second, "SELECT 1"); // the new connection's ids differ from the old one's
    long backendId = prepare(second, sql);
    assertTrue(backendId != clientId);
    ReplayResult result = replay(second, journal, id -> id == clientId ? backendId : -1, Duration.ofSeconds(5));
    assertTrue(result.replayed(), result.detail());
    second.send("COMMIT");
    assertEquals(List.of(11, 120, 1030), values());
    second.close();
  }

  @Test
  void longDataSentInsideTheTransactionIsReplayedWithItsExecute() {
    String sql = "SELECT CONCAT(?, '/', ?)";
    TransactionJournal journal = journal();
    BackendSession first = BackendSession.open(vertx, port, journal);
    long clientId = prepare(first, sql);
    view.sql.put(clientId, sql);
    first.send("BEGIN");
    first.send(Buffer.buffer().appendByte((byte) 0x18).appendUnsignedIntLE(clientId).appendUnsignedShortLE(0)
        .appendString("sent as long data")); // no response
    Buffer execute = Buffer.buffer().appendByte((byte) 0x17).appendUnsignedIntLE(clientId).appendByte((byte) 0)
        .appendUnsignedIntLE(1).appendByte((byte) 0).appendByte((byte) 1)
        .appendBytes(new byte[] {(byte) 0xFD, 0, 3, 0}).appendIntLE(7); // the long-data parameter has no value here
    List<Buffer> rows = first.send(execute);
    assertTrue(rows.stream().anyMatch(row -> row.toString().contains("sent as long data/7")));
    first.close();
    assertEquals(TransactionLoss.Kind.REPLAY, journal.onBackendLost().kind());
    assertEquals(3, journal.entries().size());

    BackendSession second = BackendSession.open(vertx, port, journal);
    long backendId = prepare(second, sql);
    ReplayResult result = replay(second, journal, id -> id == clientId ? backendId : -1, Duration.ofSeconds(5));
    assertTrue(result.replayed(), result.detail());
    second.close();
  }

  @Test
  void aStatementIdTheNewConnectionLacksFailsTheReplay() {
    String sql = "UPDATE tether.replay_t SET v = v + ? WHERE id = ?";
    TransactionJournal journal = journal();
    BackendSession first = BackendSession.open(vertx, port, journal);
    long clientId = prepare(first, sql);
    view.sql.put(clientId, sql);
    first.send("BEGIN");
    first.send(execute(clientId, 1, 1, true));
    first.close();
    journal.onBackendLost();
    BackendSession second = BackendSession.open(vertx, port, journal);
    assertEquals(ReplayOutcome.STATEMENT_UNKNOWN,
        replay(second, journal, id -> -1, Duration.ofSeconds(5)).outcome());
    second.close();
  }

  @Test
  void aReplayPastItsBoundTimesOutAndClosesTheConnection() {
    TransactionJournal journal = journal();
    BackendSession first = BackendSession.open(vertx, port, journal);
    first.send("BEGIN");
    first.send("SELECT SLEEP(0.4)");
    first.close();
    journal.onBackendLost();
    BackendSession second = BackendSession.open(vertx, port, journal);
    ReplayResult result = replay(second, journal, StatementTranslator.IDENTITY, Duration.ofMillis(100));
    assertEquals(ReplayOutcome.TIMEOUT, result.outcome());
    assertTrue(second.backend.isClosed());
  }
}
