package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tether.proxy.backend.BackendTarget;
import dev.tether.proxy.switchover.NodeSwitchover;
import dev.tether.testkit.MariaDbServer;
import dev.tether.testkit.Promotion;
import dev.tether.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A failover with two open transactions on one node: A has read a row, B has changed it and sends
 * COMMIT while the primary is gone. If B's COMMIT ran on the new primary as soon as B was replayed,
 * A's replay (long, so it reads the row last) would read B's change, differ from what A's client
 * saw, and A would be rolled back. The coordinator's SWITCH holds every new command until RESTORE,
 * so both transactions are replayed first, as they stood at the loss: A goes on reading its own
 * snapshot, B commits after RESTORE, and neither client sees an error.
 */
class ReplayBeforeNewWorkTest {
  private static final int STATEMENTS_BEFORE_THE_READ = 300;

  @Test
  void aCommitSentDuringAFailoverWaitsUntilEveryCarriedTransactionIsReplayed() throws Exception {
    MariaDbServer primary = TestDatabase.startPrivate("replay-first-a", 1);
    MariaDbServer replica = TestDatabase.startPrivate("replay-first-b", 2);
    try {
      replica.replicateFrom(primary);
      try (Connection app = DriverManager.getConnection(primary.jdbcUrl(MariaDbServer.APP_USER, MariaDbServer.APP_PASSWORD));
           Statement s = app.createStatement()) {
        s.execute("CREATE TABLE replay_first (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB");
        s.execute("INSERT INTO replay_first VALUES (1, 0)");
      }
      Promotion.caughtUp(primary, replica);
      try (ProxyHarness node = ProxyHarness.start(primary.port(), Map.of());
           RawClient a = RawClient.login(node.port(), "app", "app");
           RawClient b = RawClient.login(node.port(), "app", "app")) {
        a.ok("BEGIN");
        for (int i = 0; i < STATEMENTS_BEFORE_THE_READ; i++) {
          a.ok("DO " + i); // no table read: A's snapshot is taken by the SELECT below, last
        }
        a.query("SELECT v FROM replay_first WHERE id = 1");
        assertEquals("0", a.readScalar());
        b.ok("BEGIN");
        b.ok("UPDATE replay_first SET v = v + 1 WHERE id = 1");

        primary.kill();
        Thread.sleep(500); // both sessions notice, and keep trying the dead primary
        b.query("COMMIT"); // waits in the session while it reconnects
        Promotion.afterFailure(replica);
        double replayedBefore = node.node().metrics().transactions().replayedCount();
        NodeSwitchover.Ack switched = node.node().switchover()
            .switchTo(new BackendTarget("127.0.0.1", replica.port(), 1), true)
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(0, switched.counts().migrating(), "SWITCH ends once both sessions are rebuilt and replayed");
        assertEquals(replayedBefore + 2, node.node().metrics().transactions().replayedCount(), "both replayed");
        assertNull(b.readWithin(300), "B's COMMIT waits for RESTORE");

        node.node().switchover().restore(1).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        RawClient.Packet committed = b.read();
        assertEquals(0x00, committed.first(), "B's COMMIT answered OK after RESTORE: " + committed.payload());
        a.query("SELECT v FROM replay_first WHERE id = 1");
        assertEquals("0", a.readScalar(), "A still reads the snapshot it had before the failover");
        a.ok("COMMIT");
        assertEquals(0, node.node().metrics().transactions().failures("mismatch"), "no replay differed");
      }
      try (Connection admin = DriverManager.getConnection(replica.jdbcUrl(MariaDbServer.ADMIN_USER, MariaDbServer.ADMIN_PASSWORD));
           Statement s = admin.createStatement();
           ResultSet rs = s.executeQuery("SELECT v FROM tether.replay_first WHERE id = 1")) {
        rs.next();
        assertEquals(1, rs.getInt(1), "B's change committed once, on the new primary");
      }
    } finally {
      replica.stop();
      primary.stop();
    }
  }
}
