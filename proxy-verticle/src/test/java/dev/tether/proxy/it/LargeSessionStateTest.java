package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.it.RawClient.Packet;
import dev.tether.testkit.MariaDbServer;
import dev.tether.testkit.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Large session state is either rebuilt exactly or refused with its reason, never rebuilt wrong:
 * user variables larger than a frame come back byte for byte after the server restarts, and a
 * session whose state passes the byte cap is told it cannot be rebuilt, as one over the item cap is.
 */
class LargeSessionStateTest {
  private static final int FIVE_MIB = 5 * 1024 * 1024;
  private static MariaDbServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestDatabase.startPrivate("large-state", 1, List.of());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static final String CHECK = "SELECT CONCAT_WS('|', LENGTH(@a), LENGTH(@b), MD5(@a), MD5(@b), COLLATION(@b))";

  @Test
  void twoFiveMebibyteUserVariablesComeBackExactAfterARebuild() throws Exception {
    String set = "SET @a = REPEAT('x', " + FIVE_MIB + "), @b = CONVERT(REPEAT('é', " + FIVE_MIB / 2 + ") USING utf8mb4)";
    String direct;
    try (RawClient client = RawClient.login(server.port(), "app", "app")) {
      client.query(set);
      assertEquals(0x00, client.read().first());
      client.query(CHECK);
      direct = client.readScalar();
    }
    try (ProxyHarness proxy = ProxyHarness.start(server.port(), Map.of());
         RawClient client = RawClient.login(proxy.port(), "app", "app")) {
      client.query(set);
      assertEquals(0x00, client.read().first());
      client.query("SELECT 1");
      assertEquals("1", client.readScalar()); // the variables are read back before this runs
      restart(proxy);
      client.query(CHECK);
      assertEquals(direct, client.readScalar(), "the variables survive byte for byte");
      assertEquals(0.0, proxy.node().metrics().replaysFailed("user_variables_unreadable"));
    }
  }

  @Test
  void aSessionOverTheByteCapIsRefusedItsRebuildWithItsReason() throws Exception {
    try (ProxyHarness proxy = ProxyHarness.start(server.port(), Map.of("session.historyBytesCap", "1000000"));
         RawClient client = RawClient.login(proxy.port(), "app", "app")) {
      String big = "SELECT '" + "p".repeat(600_000) + "' FROM DUAL WHERE ? = 1";
      for (int i = 0; i < 2; i++) {
        client.writeFrame(0, io.vertx.core.buffer.Buffer.buffer().appendByte((byte) 0x16).appendString(big));
        Packet ok = client.read();
        assertEquals(0x00, ok.first(), "prepared");
        while (client.read().first() != 0xFE) {
          // parameter and column definitions up to their EOF
        }
        while (client.read().first() != 0xFE) {
          // column definitions
        }
      }
      restart(proxy);
      client.query("SELECT 1");
      Packet refused = client.read();
      assertTrue(refused.isErr());
      assertEquals(1105, refused.errorCode());
      String message = refused.payload().getString(9, refused.payload().length());
      assertTrue(message.contains("over the history byte cap of 1000000"), message);
      assertEquals(1.0, proxy.node().metrics().replaysFailed("history_over_byte_cap"));
    }
  }

  private static void restart(ProxyHarness proxy) throws Exception {
    double reconnected = proxy.node().metrics().reconnectedCount();
    double failed = proxy.node().metrics().registry().find("tether.proxy.replays.failed").counters().stream()
        .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    server.stop();
    server.start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline && proxy.node().metrics().reconnectedCount() <= reconnected
        && proxy.node().metrics().registry().find("tether.proxy.replays.failed").counters().stream()
            .mapToDouble(io.micrometer.core.instrument.Counter::count).sum() <= failed) {
      Thread.sleep(20);
    }
  }
}
