package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.node.ProxyMetrics;
import dev.tether.proxy.it.RawClient.Packet;
import dev.tether.proxy.protocol.PartialFrameBudget;
import dev.tether.testkit.TestDatabase;
import io.vertx.core.buffer.Buffer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Four header bytes announcing 16 MiB reserve nothing: a node holds only the bytes that arrived,
 * within a per-connection and a per-node bound, and a client that announces more than it sends is
 * closed at the read deadline. The node runs in this JVM, so its heap is this JVM's heap.
 */
class AnnouncedButUnsentFramesTest {
  private static final int CLIENTS = 30;
  private static final byte[] ANNOUNCES_16_MIB = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0};

  @Test
  void thirtyClientsAnnouncing16MiBHoldOnlyWhatTheySentAndAreClosedAtTheReadDeadline() throws Exception {
    try (ProxyHarness proxy = ProxyHarness.start(TestDatabase.shared().port(), Map.of("proxy.readTimeoutSeconds", "3"))) {
      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      List<RawClient> clients = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        clients.add(RawClient.login(proxy.port(), "app", "app"));
      }
      System.gc();
      long heapBefore = memory.getHeapMemoryUsage().getUsed();
      long start = System.nanoTime();
      for (RawClient client : clients) {
        client.writeRaw(ANNOUNCES_16_MIB);
        client.writeRaw(new byte[] {0x03, 'S', 'E', 'L'});
      }
      Thread.sleep(500);
      long held = (long) gauge(proxy, PartialFrameBudget.METRIC);
      long heapGrowth = memory.getHeapMemoryUsage().getUsed() - heapBefore;
      System.out.println("partial frames held: " + held + " bytes; heap growth: " + heapGrowth / 1024 + " KiB");
      assertTrue(held <= CLIENTS * 8L, "the node holds " + held + " bytes of partial frames");
      assertTrue(heapGrowth < 64L * 1024 * 1024, "heap grew by " + heapGrowth / 1024 / 1024 + " MiB for "
          + CLIENTS + " announced 16 MiB frames");
      for (RawClient client : clients) {
        assertTrue(client.closedByPeer(), "closed at the read deadline");
        client.close();
      }
      long waitedMillis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(waitedMillis >= 2_500 && waitedMillis < 9_000, "closed after " + waitedMillis + " ms");
      assertTrue(proxy.awaitNoConnections());
      assertEquals(0.0, gauge(proxy, PartialFrameBudget.METRIC));
      assertEquals(CLIENTS, counter(proxy, ProxyMetrics.CLIENT_REJECTED, "read_timeout"));
    }
  }

  @Test
  void theNodeBoundRefusesTheConnectionThatWouldPassItAndOthersGoOn() throws Exception {
    try (ProxyHarness proxy = ProxyHarness.start(TestDatabase.shared().port(),
        Map.of("proxy.partialFrameBytesPerNode", String.valueOf(1024 * 1024)))) {
      try (RawClient first = RawClient.login(proxy.port(), "app", "app");
           RawClient second = RawClient.login(proxy.port(), "app", "app")) {
        String sql = "SELECT LENGTH('" + "x".repeat(700 * 1024) + "')";
        Buffer frame = Buffer.buffer().appendMediumLE(sql.length() + 1).appendByte((byte) 0).appendByte((byte) 3)
            .appendString(sql);
        first.write(frame.slice(0, 600 * 1024));
        Thread.sleep(300);
        second.write(frame.slice(0, 600 * 1024));
        Packet refused = second.read();
        assertTrue(refused.isErr());
        assertEquals(1041, refused.errorCode());
        assertEquals(1, refused.sequenceId());
        assertTrue(second.closedByPeer());
        first.write(frame.slice(600 * 1024, frame.length()));
        assertEquals(String.valueOf(700 * 1024), first.readScalar(), "the other connection goes on");
      }
      assertTrue(proxy.awaitNoConnections());
      assertEquals(0.0, gauge(proxy, PartialFrameBudget.METRIC));
      assertEquals(1, counter(proxy, ProxyMetrics.CLIENT_REJECTED, "partial_frame_bound"));
    }
  }

  private static double gauge(ProxyHarness proxy, String name) {
    return proxy.node().metrics().registry().get(name).gauge().value();
  }

  private static int counter(ProxyHarness proxy, String name, String reason) {
    return (int) proxy.node().metrics().registry().get(name).tag("reason", reason).counter().count();
  }
}
