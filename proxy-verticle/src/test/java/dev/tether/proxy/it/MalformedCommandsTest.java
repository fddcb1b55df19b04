package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.node.ProxyMetrics;
import dev.tether.proxy.it.RawClient.Packet;
import dev.tether.proxy.protocol.Capabilities;
import dev.tether.testkit.TestDatabase;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Short and malformed commands get exactly the server's answer (the same bytes sent directly and
 * through a node are compared), with the same sequence id; the session lives on, commands queued
 * behind one are answered in order, and the node counts them as protocol errors, never as bugs.
 */
class MalformedCommandsTest {
  private static final long WITH_ATTRS = RawClient.CAPABILITIES | Capabilities.CLIENT_CONNECT_ATTRS;
  private static ProxyHarness proxy;

  @BeforeAll
  static void startProxy() throws Exception {
    proxy = ProxyHarness.start(TestDatabase.shared().port(), Map.of());
  }

  @AfterAll
  static void stopProxy() throws Exception {
    proxy.close();
  }

  @AfterEach
  void noBugsAndNoLeaks() throws Exception {
    assertEquals(0.0, count(ProxyMetrics.BUGS), "counted as a bug");
    assertTrue(proxy.awaitNoConnections(), "leaked connections");
  }

  /** Hex payloads: statement commands without their id or fixed fields, and broken COM_CHANGE_USERs. */
  @ParameterizedTest
  @ValueSource(strings = {
      "17", "170100", "1701000000", "170900000000010000", // COM_STMT_EXECUTE under 10 bytes
      "1c", "1c0100", "1c010000", // COM_STMT_FETCH without a whole id
      "1a", "1a0100", // COM_STMT_RESET
      "19", "190100", // COM_STMT_CLOSE: no answer
      "18", "18010000", "180100000000", // COM_STMT_SEND_LONG_DATA: no answer
      "11617070", // COM_CHANGE_USER: user name without its NUL
      "1161707000146162", // auth response longer than the packet
      "116170700000746574686572002d", // one byte of the character set
      "116170700000746574686572002d006d7973716c5f6e61746976655f70617373776f72640020036162", // attributes past the end
  })
  void aMalformedCommandGetsTheServersAnswerAndTheSessionLivesOn(String hex) throws Exception {
    Buffer payload = Buffer.buffer(HexFormat.of().parseHex(hex));
    double protocolErrors = count(ProxyMetrics.PROTOCOL_ERRORS);
    List<String> direct = exchange(TestDatabase.shared().port(), List.of(payload, ping()));
    List<String> proxied = exchange(proxy.port(), List.of(payload, ping()));
    assertEquals(direct, proxied);
    assertTrue(proxied.get(proxied.size() - 1).startsWith("seq=1 OK"), "the session lives on: " + proxied);
    assertEquals(protocolErrors + 1, count(ProxyMetrics.PROTOCOL_ERRORS), "counted as a protocol error");
  }

  /** A truncated command behind a running query, or behind a SET that makes the node read variables back. */
  @ParameterizedTest
  @ValueSource(strings = {"SELECT SLEEP(0.2), 'first'", "SET @x = 1"})
  void aTruncatedCommandInThePipelineIsAnsweredInOrder(String first) throws Exception {
    List<Buffer> commands = List.of(query(first), Buffer.buffer(new byte[] {0x17, 1}), Buffer.buffer(new byte[] {0x1c}),
        query("SELECT @x, 'after'"), ping());
    List<String> direct = exchange(TestDatabase.shared().port(), commands);
    List<String> proxied = exchange(proxy.port(), commands);
    assertEquals(direct, proxied);
    assertEquals(5, proxied.size(), proxied.toString());
  }

  /** Sends every command in one write, then reads the answers until the last command's (a PING or a query). */
  private static List<String> exchange(int port, List<Buffer> commands) throws Exception {
    try (RawClient client = RawClient.login(port, "app", "app", WITH_ATTRS)) {
      Buffer all = Buffer.buffer();
      for (Buffer command : commands) {
        all.appendMediumLE(command.length()).appendByte((byte) 0).appendBuffer(command);
      }
      client.write(all);
      List<String> answers = new ArrayList<>();
      for (Buffer command : commands) {
        int code = command.getUnsignedByte(0);
        if (code == 0x19 || code == 0x18) {
          continue; // COM_STMT_CLOSE and COM_STMT_SEND_LONG_DATA have no answer: the next one is the next command's
        }
        Packet first = client.readWithin(5_000);
        answers.add(first == null ? "nothing" : describe(client, first));
      }
      assertTrue(client.readWithin(300) == null, "nothing more may come");
      return answers;
    }
  }

  private static String describe(RawClient client, Packet first) throws Exception {
    if (first.isErr()) {
      // A short FETCH/RESET makes the server read its id partly from bytes past the packet (left over
      // from earlier packets): that number is not reproducible, the rest of the answer is.
      return "seq=" + first.sequenceId() + " ERR " + first.errorCode() + " " + first.sqlState() + " "
          + first.payload().getString(9, first.payload().length()).replaceAll("handler \\(\\d+\\)", "handler (n)");
    }
    if (first.first() == 0x00) {
      return "seq=" + first.sequenceId() + " OK";
    }
    if (first.first() == 0xFE) {
      return "seq=" + first.sequenceId() + " auth switch";
    }
    StringBuilder rows = new StringBuilder("seq=" + first.sequenceId() + " result");
    int eofs = 0;
    while (eofs < 2) {
      Packet p = client.read();
      if (p.first() == 0xFE && p.payload().length() < 9) {
        eofs++;
      } else if (eofs == 1) {
        rows.append(' ').append(p.payload().toString());
      }
    }
    return rows.toString();
  }

  private static Buffer query(String sql) {
    return Buffer.buffer().appendByte((byte) 0x03).appendString(sql);
  }

  private static Buffer ping() {
    return Buffer.buffer(new byte[] {0x0e});
  }

  private static double count(String name) {
    return proxy.node().metrics().registry().find(name).counters().stream().mapToDouble(Counter::count).sum();
  }
}
