package dev.tether.proxy.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.config.AuthPlugin;
import dev.tether.config.UserAccount;
import dev.tether.testkit.MariaDbServer;
import dev.tether.testkit.TestDatabase;
import io.vertx.core.Vertx;
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
 * A COMMIT whose answer is lost, on a real MariaDB, with the fault hook the proxy uses for it:
 * committed → the marker says so; not committed → the marker is provably absent and the replay
 * applies the transaction once; never two rows, never none. Also the table's creation and pruning.
 */
class CommitMarkerTest {
  private static Vertx vertx;
  private static int port;
  private static MarkerMaintenance maintenance;
  private final TransactionJournalTest.FakeSession view = new TransactionJournalTest.FakeSession();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    port = TestDatabase.shared().port();
    UserAccount admin = new UserAccount(MariaDbServer.ADMIN_USER, MariaDbServer.ADMIN_PASSWORD,
        AuthPlugin.MYSQL_NATIVE_PASSWORD);
    maintenance = new MarkerMaintenance(vertx, BackendSession.connector(vertx, port), admin, Duration.ofMinutes(10));
    assertTrue(BackendSession.await(vertx.getOrCreateContext(), maintenance::ensureTable));
    assertTrue(BackendSession.await(vertx.getOrCreateContext(), maintenance::ensureTable), "creation is idempotent");
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  @BeforeEach
  void ledger() throws Exception {
    try (Connection admin = TestDatabase.shared().admin(); Statement s = admin.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS tether.marker_ledger (client INT NOT NULL, seq INT NOT NULL,"
          + " PRIMARY KEY (client, seq)) ENGINE=InnoDB");
      s.execute("DELETE FROM tether.marker_ledger");
    }
  }

  private static long count(String sql) throws Exception {
    try (Connection admin = TestDatabase.shared().admin(); Statement s = admin.createStatement();
         ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private TransactionJournal journal() {
    return new TransactionJournal(view, 1 << 20, 1000, true);
  }

  private static CommitResolution resolve(BackendSession on, CommitMarker.Token token, long oldThreadId) {
    CommitResolution resolution = on.on(() -> CommitMarker.resolve(vertx, on.backend, token, oldThreadId,
        Duration.ofSeconds(5)));
    on.reclaim(-1);
    return resolution;
  }

  @Test
  void aCommitLostAfterItWasSentIsFoundCommittedByItsMarker() throws Exception {
    TransactionJournal journal = journal();
    BackendSession first = BackendSession.open(vertx, port, journal);
    first.send("BEGIN");
    first.send("INSERT INTO tether.marker_ledger VALUES (1, 1)");
    assertNull(first.commit(FaultInjection.DROP_AFTER_COMMIT), "the answer is lost");
    TransactionLoss loss = journal.onBackendLost();
    assertEquals(TransactionLoss.Kind.COMMIT_IN_FLIGHT, loss.kind());
    assertNotNull(loss.marker());

    BackendSession second = BackendSession.open(vertx, port, journal);
    assertEquals(CommitResolution.COMMITTED, resolve(second, loss.marker(), first.backend.threadId()));
    assertEquals(1, count("SELECT COUNT(*) FROM tether.marker_ledger WHERE client = 1"));
    second.close();
  }

  @Test
  void aCommitThatNeverArrivedIsProvablyAbsentAndTheReplayAppliesItOnce() throws Exception {
    TransactionJournal journal = journal();
    BackendSession first = BackendSession.open(vertx, port, journal);
    first.send("BEGIN");
    first.send("INSERT INTO tether.marker_ledger VALUES (2, 1)");
    assertNull(first.commit(FaultInjection.DROP_INSTEAD_OF_COMMIT));
    TransactionLoss loss = journal.onBackendLost();
    assertEquals(CommitMarker.Answer.OK, loss.marker().answer(), "the marker's INSERT was answered");

    BackendSession second = BackendSession.open(vertx, port, journal);
    assertEquals(CommitResolution.NOT_COMMITTED, resolve(second, loss.marker(), first.backend.threadId()));
    ReplayResult replayed = second.on(() -> TransactionReplay.run(vertx, second.backend, journal,
        StatementTranslator.IDENTITY, Duration.ofSeconds(5)));
    assertTrue(replayed.replayed(), replayed.detail());
    second.reclaim(replayed.statusFlags());
    List<?> ok = second.commit(FaultInjection.NONE);
    assertNotNull(ok);
    assertEquals(1, count("SELECT COUNT(*) FROM tether.marker_ledger WHERE client = 2"), "one row: never two, never none");
    second.close();
  }

  @Test
  void aMarkerNeverConfirmedAndAbsentIsUnknown() {
    BackendSession on = BackendSession.open(vertx, port, journal());
    assertEquals(CommitResolution.UNKNOWN, resolve(on, CommitMarker.Token.fresh(), -1),
        "its INSERT may have failed while the COMMIT went through");
    assertEquals(CommitResolution.NOT_COMMITTED, resolve(on, CommitMarker.Token.fresh().answered(true), -1));
    on.close();
  }

  @Test
  void aThreadThatDoesNotGoAwayLeavesTheOutcomeUnknown() {
    BackendSession holder = BackendSession.open(vertx, port, journal());
    BackendSession on = BackendSession.open(vertx, port, journal());
    CommitResolution resolution = on.on(() -> CommitMarker.resolve(vertx, on.backend,
        CommitMarker.Token.fresh().answered(true), holder.backend.threadId(), Duration.ofMillis(200)));
    assertEquals(CommitResolution.UNKNOWN, resolution, "its COMMIT may still be running");
    holder.close();
    on.close();
  }

  @Test
  void oldMarkersArePrunedByOneNodeAtATime() throws Exception {
    try (Connection admin = TestDatabase.shared().admin(); Statement s = admin.createStatement()) {
      s.execute("INSERT INTO " + CommitMarker.TABLE + " (token, created) VALUES (X'0123456789abcdef0123456789abcdef',"
          + " NOW(3) - INTERVAL 1 HOUR), (X'fedcba9876543210fedcba9876543210', NOW(3))");
      try (Statement lock = admin.createStatement()) {
        lock.execute("DO GET_LOCK('" + MarkerMaintenance.PRUNE_LOCK + "', 0)"); // another node is pruning
        assertEquals(-1L, BackendSession.await(vertx.getOrCreateContext(), maintenance::pruneOnce));
        lock.execute("DO RELEASE_LOCK('" + MarkerMaintenance.PRUNE_LOCK + "')");
      }
    }
    assertTrue(BackendSession.await(vertx.getOrCreateContext(), maintenance::pruneOnce) >= 1);
    assertEquals(0, count("SELECT COUNT(*) FROM " + CommitMarker.TABLE + " WHERE token = X'0123456789abcdef0123456789abcdef'"));
    assertEquals(1, count("SELECT COUNT(*) FROM " + CommitMarker.TABLE + " WHERE token = X'fedcba9876543210fedcba9876543210'"));
  }
}
