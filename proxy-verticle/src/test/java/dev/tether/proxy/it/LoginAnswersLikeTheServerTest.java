package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.it.RawClient.Packet;
import dev.tether.proxy.protocol.AuthScramble;
import dev.tether.proxy.protocol.AuthSwitchRequest;
import dev.tether.proxy.protocol.Capabilities;
import dev.tether.proxy.protocol.HandshakeResponse41;
import dev.tether.testkit.MariaDbServer;
import dev.tether.testkit.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logins that probe the proxy get the server's answers: a known and an unknown user claiming
 * caching_sha2_password are answered alike, CLIENT_SSL in a plain-text response never lets a client
 * in, an over-long user name is cut in the ERR as the server cuts it, and clients that reset their
 * connection write no ERROR lines.
 */
class LoginAnswersLikeTheServerTest {
  private static ProxyHarness proxy;

  @BeforeAll
  static void startProxy() throws Exception {
    proxy = ProxyHarness.start(TestDatabase.shared().port(), Map.of("proxy.handshakeTimeoutMs", "1500"));
  }

  @AfterAll
  static void stopProxy() throws Exception {
    proxy.close();
  }

  /** The first answer to a response naming {@code plugin} with a random proof of {@code proofLength} bytes. */
  private static String firstAnswer(int port, String user, String plugin, int proofLength, long extraCaps)
      throws Exception {
    try (RawClient client = new RawClient(port)) {
      client.readGreeting();
      byte[] proof = new byte[proofLength];
      new SecureRandom().nextBytes(proof);
      client.write(new HandshakeResponse41(RawClient.CAPABILITIES | extraCaps, 1 << 24, 45, user, proof, "tether",
          plugin, null).encode(1));
      Packet answer = client.readWithin(2_000);
      if (answer == null) {
        return "nothing";
      }
      if (answer.first() == 0xFE) {
        return "seq=" + answer.sequenceId() + " switch to " + AuthSwitchRequest.decode(answer.payload()).pluginName();
      }
      return "seq=" + answer.sequenceId() + (answer.isErr() ? " ERR" : " 0x" + Integer.toHexString(answer.first()));
    }
  }

  @Test
  void knownAndUnknownUsersClaimingCachingSha2AreAnsweredAlike() throws Exception {
    String known = firstAnswer(proxy.port(), "app", "caching_sha2_password", 32, 0);
    String unknown = firstAnswer(proxy.port(), "nobody_here", "caching_sha2_password", 32, 0);
    assertEquals(firstAnswer(TestDatabase.shared().port(), "app", "caching_sha2_password", 32, 0), known);
    assertEquals(firstAnswer(TestDatabase.shared().port(), "nobody_here", "caching_sha2_password", 32, 0), unknown);
    assertEquals(known, unknown, "an unknown user must not be told apart");
    assertEquals("seq=2 switch to mysql_native_password", known);
  }

  @Test
  void anUnknownUserAnsweringTheSwitchIsDeniedLikeAKnownOneWithAWrongPassword() throws Exception {
    for (String user : List.of("app", "nobody_here")) {
      try (RawClient client = new RawClient(proxy.port())) {
        client.readGreeting();
        client.write(new HandshakeResponse41(RawClient.CAPABILITIES, 1 << 24, 45, user, new byte[32], "tether",
            "caching_sha2_password", null).encode(1));
        Packet sw = client.read();
        client.writeFrame(sw.sequenceId() + 1, io.vertx.core.buffer.Buffer.buffer(
            AuthScramble.nativePassword("wrong", AuthSwitchRequest.decode(sw.payload()).pluginData())));
        Packet denied = client.read();
        assertTrue(denied.isErr());
        assertEquals(1045, denied.errorCode(), user);
        assertEquals(4, denied.sequenceId());
      }
    }
  }

  @Test
  void clientSslInAFullPlainTextResponseNeverLetsTheClientIn(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("key.pem");
    Path cert = dir.resolve("cert.pem");
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj",
        "/CN=localhost", "-days", "1", "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
    openssl.getInputStream().readAllBytes();
    assertEquals(0, openssl.waitFor());
    try (MariaDbServer tlsServer = TestDatabase.startPrivate("tls-probe", 1,
        List.of("--ssl-cert=" + cert, "--ssl-key=" + key))) {
      assertEquals("nothing", loginWithSslBitInPlainText(tlsServer.port()), "the server waits for TLS");
      assertEquals("nothing", loginWithSslBitInPlainText(proxy.port()), "so does the proxy");
    }
  }

  /** A complete, correct native-password response with CLIENT_SSL set, sent without TLS. */
  private static String loginWithSslBitInPlainText(int port) throws Exception {
    try (RawClient client = new RawClient(port)) {
      client.readGreeting();
      assertTrue(Capabilities.has(client.greeting.capabilities(), Capabilities.CLIENT_SSL));
      byte[] proof = AuthScramble.nativePassword("app", client.greeting.scramble());
      client.write(new HandshakeResponse41(RawClient.CAPABILITIES | Capabilities.CLIENT_SSL, 1 << 24, 45, "app", proof,
          "tether", "mysql_native_password", null).encode(1));
      Packet answer = client.readWithin(1_000);
      return answer == null ? "nothing" : answer.first() == 0x00 ? "let in" : "0x" + Integer.toHexString(answer.first());
    }
  }

  @Test
  void anOverLongUserNameIsCutInTheErrorAsTheServerCutsIt() throws Exception {
    String name = "u".repeat(60_000);
    String direct = deniedName(TestDatabase.shared().port(), name);
    String proxied = deniedName(proxy.port(), name);
    assertEquals(direct, proxied);
    assertEquals(128, proxied.length());
  }

  private static String deniedName(int port, String user) throws Exception {
    try (RawClient client = new RawClient(port)) {
      client.readGreeting();
      client.write(new HandshakeResponse41(RawClient.CAPABILITIES, 1 << 24, 45, user, new byte[20], "tether",
          "mysql_native_password", null).encode(1));
      Packet denied = client.read();
      assertTrue(denied.isErr());
      String message = denied.payload().getString(9, denied.payload().length());
      return message.substring(message.indexOf('\'') + 1, message.indexOf("'@'"));
    }
  }

  @Test
  void clientsThatResetTheirConnectionWriteNoErrorLines() throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true));
    try {
      for (int i = 0; i < 10; i++) {
        RawClient before = new RawClient(proxy.port());
        before.readGreeting();
        before.reset();
        RawClient after = RawClient.login(proxy.port(), "app", "app");
        after.query("SELECT SLEEP(0.05)");
        after.reset();
      }
      assertTrue(proxy.awaitNoConnections());
    } finally {
      System.setErr(original);
    }
    String log = captured.toString();
    assertFalse(log.contains("ERROR"), "ERROR lines for client resets:\n" + log);
    assertFalse(log.contains("Connection reset"), log);
  }
}
