package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.it.ProxyHarness.Driver;
import dev.tether.proxy.it.ProxyHarness.Route;
import dev.tether.proxy.it.RawClient.Packet;
import dev.tether.testkit.TestDatabase;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input never crashes the node, hangs a session or leaks a connection: the client gets a proper
 * ERR where the protocol allows, other clients keep being served, and afterwards the node's open
 * client and backend connection counts are back to zero.
 */
class BadInputTest {
  private static ProxyHarness proxy;

  @BeforeAll
  static void startProxy() throws Exception {
    proxy = ProxyHarness.start(TestDatabase.shared().port(), Map.of(
        "proxy.handshakeTimeoutMs", "1000",
        "proxy.maxAllowedPacket", String.valueOf(1024 * 1024)));
  }

  @AfterAll
  static void stopProxy() throws Exception {
    proxy.close();
  }

  @AfterEach
  void nodeStillServesOthersAndLeaksNothing() throws Exception {
    try (Connection c = proxy.connect(Driver.MARIADB, Route.PROXY, ""); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT 1")) {
      assertTrue(rs.next());
    }
    assertTrue(proxy.awaitNoConnections(), "leaked: clients=" + proxy.openClientConnections()
        + " backends=" + proxy.openBackendConnections());
  }

  private static void assertErr(Packet packet, int code, String sqlState) {
    assertTrue(packet.isErr(), "expected ERR, got 0x" + Integer.toHexString(packet.first()));
    assertEquals(code, packet.errorCode());
    assertEquals(sqlState, packet.sqlState());
  }

  @Test
  void garbageInsteadOfAHandshakeResponseGetsBadHandshake() throws Exception {
    try (RawClient client = new RawClient(proxy.port())) {
      client.readGreeting();
      client.writeFrame(1, Buffer.buffer(new byte[] {1, 2, 3, 4, 5, 6, 7}));
      assertErr(client.read(), 1043, "08S01");
      assertTrue(client.closedByPeer());
    }
  }

  @Test
  void aForeignProtocolGetsBadHandshakeAtOnce() throws Exception {
    try (RawClient client = new RawClient(proxy.port())) {
      client.readGreeting();
      client.writeRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertErr(client.read(), 1043, "08S01");
      assertTrue(client.closedByPeer());
    }
  }

  @Test
  void truncatedHandshakeResponseGetsBadHandshake() throws Exception {
    try (RawClient client = new RawClient(proxy.port())) {
      client.readGreeting();
      // capabilities, max packet, collation, filler, then a user name without its terminating NUL
      Buffer payload = Buffer.buffer().appendIntLE((int) RawClient.CAPABILITIES).appendIntLE(1 << 24)
          .appendByte((byte) 45).appendBytes(new byte[23]).appendString("app");
      client.writeFrame(1, payload);
      assertErr(client.read(), 1043, "08S01");
      assertTrue(client.closedByPeer());
    }
  }

  @Test
  void clientThatHangsUpInsideAFrameLeavesNothingBehind() throws Exception {
    try (RawClient client = RawClient.login(proxy.port(), "app", "app")) {
      // announces 100 bytes, sends 10, hangs up
      client.writeRaw(new byte[] {100, 0, 0, 0, 3, 'S', 'E', 'L', 'E', 'C', 'T', ' ', '1', ' '});
    }
  }

  @Test
  void wrongSequenceIdGetsPacketsOutOfOrder() throws Exception {
    try (RawClient client = RawClient.login(proxy.port(), "app", "app")) {
      client.writeFrame(5, Buffer.buffer().appendByte((byte) 0x03).appendString("SELECT 1"));
      assertErr(client.read(), 1156, "08S01");
      assertTrue(client.closedByPeer());
    }
  }

  @Test
  void wrongSequenceIdDuringHandshakeGetsPacketsOutOfOrder() throws Exception {
    try (RawClient client = new RawClient(proxy.port())) {
      client.readGreeting();
      client.writeFrame(3, Buffer.buffer(new byte[40]));
      assertErr(client.read(), 1156, "08S01");
      assertTrue(client.closedByPeer());
    }
  }

  @Test
  void packetLargerThanMaxAllowedPacketIsRefused() throws Exception {
    try (RawClient client = RawClient.login(proxy.port(), "app", "app")) {
      byte[] sql = ("SELECT '" + "x".repeat(2 * 1024 * 1024) + "'").getBytes(StandardCharsets.US_ASCII);
      client.writeFrame(0, Buffer.buffer().appendByte((byte) 0x03).appendBytes(sql));
      assertErr(client.read(), 1153, "08S01");
      assertTrue(client.closedByPeer());
    }
  }

  @Test
  void clientThatConnectsAndSendsNothingIsClosedAfterTheHandshakeTimeout() throws Exception {
    try (RawClient client = new RawClient(proxy.port())) {
      client.readGreeting();
      long start = System.nanoTime();
      assertErr(client.read(), 1043, "08S01");
      assertTrue(client.closedByPeer());
      long waitedMillis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(waitedMillis < 5_000, "closed after " + waitedMillis + " ms");
    }
  }

  @Test
  void clientThatDisconnectsMidResultReleasesItsBackend() throws Exception {
    try (RawClient client = RawClient.login(proxy.port(), "app", "app")) {
      client.query("SELECT seq, REPEAT('x', 1000) FROM seq_1_to_200000");
      for (int i = 0; i < 20; i++) {
        client.read();
      }
    }
    assertTrue(proxy.awaitNoConnections());
    assertEquals(0, backendThreadsRunning("seq_1_to_200000"), "the backend query must not linger");
  }

  @Test
  void backendLostMidResultFailsThatStatementAndTheConnectionLivesOn() throws Exception {
    try (RawClient client = RawClient.login(proxy.port(), "app", "app")) {
      client.query("SELECT CONNECTION_ID()");
      long backendThread = Long.parseLong(client.readScalar());
      client.query("SELECT seq, REPEAT('y', 1000) FROM seq_1_to_2000000");
      for (int i = 0; i < 20; i++) {
        client.read();
      }
      proxy.relay().sever(); // the network between node and server fails mid-result
      Packet last;
      do {
        last = client.read();
      } while (!last.isErr());
      assertErr(last, 1317, "70100"); // the documented "result interrupted"
      client.query("SELECT 'rebuilt'");
      assertEquals("rebuilt", client.readScalar());
      client.query("SELECT CONNECTION_ID()");
      assertTrue(Long.parseLong(client.readScalar()) != backendThread, "a new backend connection");
    }
  }

  @Test
  void resetConnectionIsRelayedAndClearsUserVariables() throws Exception {
    try (RawClient client = RawClient.login(proxy.port(), "app", "app")) {
      client.query("SET @kept = 'no'");
      assertEquals(0x00, client.read().first());
      client.command(0x1F); // COM_RESET_CONNECTION
      assertEquals(0x00, client.read().first());
      client.query("SELECT @kept");
      assertEquals(null, client.readScalar());
    }
  }

  @Test
  void unknownAndReplicationCommandsAreRefusedWithoutClosing() throws Exception {
    try (RawClient client = RawClient.login(proxy.port(), "app", "app")) {
      client.command(0x12); // COM_BINLOG_DUMP
      assertErr(client.read(), 1047, "08S01");
      client.query("SELECT 'alive'");
      assertEquals("alive", client.readScalar());
    }
  }

  private static int backendThreadsRunning(String marker) throws Exception {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (Connection admin = TestDatabase.shared().admin(); Statement s = admin.createStatement();
           ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%"
               + marker + "%' AND INFO NOT LIKE '%PROCESSLIST%'")) {
        rs.next();
        if (rs.getInt(1) == 0) {
          return 0;
        }
      }
      Thread.sleep(100);
    }
    return 1;
  }
}
