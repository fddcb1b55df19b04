package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.it.RawClient.Packet;
import dev.tether.testkit.TestDatabase;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configured limits with their errors, and the single-packet commands relayed like the server answers them. */
class LimitsAndSimpleCommandsTest {

  @Test
  void connectionsBeyondTheLimitGetTooManyConnections() throws Exception {
    try (ProxyHarness proxy = ProxyHarness.start(TestDatabase.shared().port(), Map.of("proxy.maxConnections", "2"))) {
      try (RawClient first = RawClient.login(proxy.port(), "app", "app");
           RawClient second = RawClient.login(proxy.port(), "app", "app");
           RawClient third = new RawClient(proxy.port())) {
        Packet refused = third.read();
        assertTrue(refused.isErr());
        assertEquals(1040, refused.errorCode());
        assertEquals("08004", refused.sqlState());
        first.query("SELECT 'first still works'");
        assertEquals("first still works", first.readScalar());
      }
      assertTrue(proxy.awaitNoConnections());
    }
  }

  @Test
  void idleClientIsDisconnectedWithTheInactivityError() throws Exception {
    try (ProxyHarness proxy = ProxyHarness.start(TestDatabase.shared().port(), Map.of("proxy.idleTimeoutSeconds", "1"))) {
      try (RawClient client = RawClient.login(proxy.port(), "app", "app")) {
        Packet bye = client.read();
        assertTrue(bye.isErr());
        assertEquals(4031, bye.errorCode());
        assertTrue(client.closedByPeer());
      }
      assertTrue(proxy.awaitNoConnections());
    }
  }

  /** Sends each command directly and through the proxy; the replies must match packet for packet. */
  @Test
  void simpleCommandsGetTheServersOwnReplies() throws Exception {
    try (ProxyHarness proxy = ProxyHarness.start()) {
      List<String> direct = commands(TestDatabase.shared().port());
      List<String> proxied = commands(proxy.port());
      assertEquals(direct, proxied);
      assertTrue(proxy.awaitNoConnections());
    }
  }

  private static List<String> commands(int port) throws Exception {
    List<String> out = new ArrayList<>();
    try (RawClient client = RawClient.login(port, "app", "app")) {
      client.query("CREATE TABLE IF NOT EXISTS field_list_t (a INT, b VARCHAR(3))");
      out.add(describe(client.read()));
      client.command(0x0E); // COM_PING
      out.add(describe(client.read()));
      client.command(0x09); // COM_STATISTICS: one string packet, its numbers differ between calls
      Packet stats = client.read();
      out.add(stats.sequenceId() + " " + stats.payload().toString().startsWith("Uptime:"));
      client.writeFrame(0, Buffer.buffer().appendByte((byte) 0x1B).appendUnsignedShortLE(0)); // COM_SET_OPTION on
      out.add(describe(client.read()));
      client.writeFrame(0, Buffer.buffer().appendByte((byte) 0x04).appendString("field_list_t").appendByte((byte) 0)); // COM_FIELD_LIST
      Packet p;
      do {
        p = client.read();
        out.add(p.sequenceId() + ":" + p.payload().length() + ":" + p.first());
      } while (p.first() != 0xFE && !p.isErr());
      client.writeFrame(0, Buffer.buffer().appendByte((byte) 0x02).appendString("no_such_db")); // COM_INIT_DB
      out.add(describe(client.read()));
      client.query("SELECT 'after all that'");
      out.add(client.readScalar());
    }
    return out;
  }

  private static String describe(Packet packet) {
    return packet.sequenceId() + " " + (packet.isErr()
        ? "ERR " + packet.errorCode() + " " + packet.sqlState()
        : Integer.toHexString(packet.first()) + " " + packet.payload().length());
  }
}
