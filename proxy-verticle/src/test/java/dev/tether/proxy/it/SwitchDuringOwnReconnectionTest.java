package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tether.proxy.backend.BackendTarget;
import dev.tether.proxy.switchover.NodeSwitchover;
import dev.tether.testkit.MariaDbServer;
import dev.tether.testkit.Promotion;
import dev.tether.testkit.TestDatabase;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A failover as the fleet lives it: the primary dies, each session loses its connection and keeps
 * trying to rebuild, and the coordinator's SWITCH reaches it while it is at it. The rebuild then
 * lands on the new primary, where SWITCH wanted the session, so the session does not move a second
 * time: a second move would close a good connection in the middle of the transaction the client
 * opened there meanwhile (with replay off, or a transaction that cannot be replayed, losing it).
 */
class SwitchDuringOwnReconnectionTest {
  @Test
  void aSessionRebuiltOnTheNewPrimaryDuringSwitchDoesNotMoveAgain() throws Exception {
    MariaDbServer primary = TestDatabase.startPrivate("switch-own-a", 1);
    MariaDbServer replica = TestDatabase.startPrivate("switch-own-b", 2);
    try {
      replica.replicateFrom(primary);
      try (ProxyHarness node = ProxyHarness.start(primary.port(), Map.of());
           RawClient c = RawClient.login(node.port(), "app", "app")) {
        c.ok("DO 1");
        primary.kill();
        Thread.sleep(500); // the session notices, and keeps trying the dead primary
        Promotion.afterFailure(replica);
        double rebuilt = node.node().metrics().reconnectedCount();
        CompletableFuture<NodeSwitchover.Ack> switched = node.node().switchover()
            .switchTo(new BackendTarget("127.0.0.1", replica.port(), 1)).toCompletionStage().toCompletableFuture();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (node.node().metrics().reconnectedCount() < rebuilt + 1 && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        assertEquals(rebuilt + 1, node.node().metrics().reconnectedCount(), "rebuilt once, on the new primary");

        c.ok("BEGIN");
        c.ok("DO 2");
        c.ok("COMMIT");
        assertEquals(0, switched.get(5, TimeUnit.SECONDS).counts().migrating(), "SWITCH saw the session moved");
        assertEquals(rebuilt + 1, node.node().metrics().reconnectedCount(), "and it did not move a second time");
      }
    } finally {
      replica.stop();
      primary.stop();
    }
  }
}
