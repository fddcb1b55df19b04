package dev.tether.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.testkit.MariaDbServer;
import dev.tether.testkit.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The whole catalogue of bad input, sent to one node process as an attacker or a broken client
 * would (mutated handshakes, every command byte with garbage, short and overrunning commands,
 * oversized announcements, stalls, mid-result resets, a storm of bad logins), leaves the node as it
 * was: no internal bug counted, no stack trace in its log, every connection closed, the heap after
 * a collection within a few MB of where it started, and the node still serving.
 */
class HostileInputLeavesNodeCleanTest {
  private static final long HEAP_SLACK_BYTES = 8L * 1024 * 1024;
  private static final int COM_QUERY = 0x03;
  private static final int COM_SHUTDOWN = 0x08;
  private static final int COM_CHANGE_USER = 0x11;

  private final Random random = new Random(20261202);
  private int port;
  private int httpPort;

  @Test
  void aNodeComesOutOfTheBadInputCatalogueAsItWentIn() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "hostile-" + ProcessHandle.current().pid()));
    port = TestDatabase.freePort();
    httpPort = TestDatabase.freePort();
    try (MariaDbServer server = TestDatabase.startPrivate("hostile", 1)) {
      Path config = dir.resolve("tether.yaml");
      Files.writeString(config, String.join("\n",
          "backend: { host: 127.0.0.1, port: " + server.port() + " }",
          "proxy: { port: " + port + ", httpPort: " + httpPort + ", authPlugin: mysql_native_password,"
              + " handshakeTimeoutMs: 1000, readTimeoutSeconds: 2,"
              + " authThrottle: { failuresBeforeDelay: 100000, failuresBeforeRefusal: 100000 } }",
          "users: [ { name: app, password: app } ]", ""));
      try (JarProcess node = JarProcess.start("proxy-verticle", config, dir.resolve("proxy.log"))) {
        JarProcess.awaitOk("http://127.0.0.1:" + httpPort + "/ready", null, Duration.ofSeconds(120));
        aGoodClientIsServed();
        long before = heapAfterCollection(node);

        mutatedHandshakes(300);
        everyCommandByteWithGarbage();
        shortAndOverrunningCommands();
        malformedCommandsBehindOthers();
        oversizedAnnouncementsAndStalls();
        clientsThatVanishMidCommand();
        badLoginStorm(200);

        awaitNoConnections();
        aGoodClientIsServed();
        awaitNoConnections();
        long after = heapAfterCollection(node);

        assertEquals(0, metricSum("tether_proxy_bugs_total"), "internal bugs counted");
        assertTrue(metricSum("tether_proxy_protocol_errors_total") > 0, "the bad input was seen as protocol errors");
        List<String> traces = node.logLines().stream()
            .filter(l -> l.startsWith("\tat ") || l.contains(" ERROR ") || l.contains("Exception:")).toList();
        assertTrue(traces.isEmpty(), "no stack trace or ERROR in the node's log:\n" + String.join("\n", traces));
        System.out.printf("hostile input: heap after a collection %d KiB before, %d KiB after; protocol errors %.0f%n",
            before / 1024, after / 1024, metricSum("tether_proxy_protocol_errors_total"));
        assertTrue(after - before < HEAP_SLACK_BYTES,
            "heap after a collection: " + before / 1024 + " KiB before, " + after / 1024 + " KiB after");
      }
    }
  }

  private void aGoodClientIsServed() throws IOException {
    try (WireClient c = new WireClient(port)) {
      assertTrue(c.login("app", "app").isOk(), "a good login is answered OK");
      c.command(COM_QUERY, "SELECT 1".getBytes(StandardCharsets.US_ASCII));
      assertEquals(1, c.read().payload()[0], "one column");
    }
  }

  private WireClient loggedIn() throws IOException {
    WireClient c = new WireClient(port);
    assertTrue(c.login("app", "app").isOk(), "login");
    return c;
  }

  /** Valid responses with bytes flipped, cut short or extended. */
  private void mutatedHandshakes(int count) throws IOException {
    for (int i = 0; i < count; i++) {
      try (WireClient c = new WireClient(port)) {
        c.readGreeting();
        byte[] response = c.handshakeResponse("app", "app");
        byte[] mutated = switch (i % 3) {
          case 0 -> flip(response, 1 + random.nextInt(4));
          case 1 -> Arrays.copyOf(response, random.nextInt(response.length));
          default -> concat(response, garbage(1 + random.nextInt(64)));
        };
        c.writeFrame(1, mutated);
        c.drain(300);
      }
    }
  }

  /** Every command byte after login, each followed by random bytes. */
  private void everyCommandByteWithGarbage() throws IOException {
    for (int command = 0; command < 256; command++) {
      if (command == COM_SHUTDOWN) {
        continue; // the account may not shut the server down, but this suite is not about privileges
      }
      try (WireClient c = loggedIn()) {
        c.command(command, garbage(random.nextInt(40)));
        c.drain(200);
      }
    }
  }

  /** Binary-protocol commands under 5 bytes, and a COM_CHANGE_USER whose attributes run past its end. */
  private void shortAndOverrunningCommands() throws IOException {
    try (WireClient c = loggedIn()) {
      for (int command : new int[] {0x16, 0x17, 0x18, 0x19, 0x1a, 0x1c}) {
        for (int length = 0; length < 5; length++) {
          c.command(command, garbage(length));
          c.drain(100);
        }
      }
      byte[] changeUser = concat("app\0".getBytes(StandardCharsets.US_ASCII),
          new byte[] {20}, new byte[20], "\0".getBytes(StandardCharsets.US_ASCII), new byte[] {33, 0},
          "mysql_native_password\0".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xfc, (byte) 0xff, 0x7f});
      c.command(COM_CHANGE_USER, changeUser);
      c.drain(300);
    }
  }

  /** A truncated command queued behind a running query, and behind a user-variable read-back. */
  private void malformedCommandsBehindOthers() throws IOException {
    try (WireClient c = loggedIn()) {
      byte[] sleep = concat(new byte[] {COM_QUERY}, "SELECT SLEEP(0.2)".getBytes(StandardCharsets.US_ASCII));
      byte[] truncated = {0x17, 1};
      byte[] ping = {0x0e};
      c.writeRaw(concat(frame(sleep), frame(truncated), frame(ping)));
      c.drain(800);
      byte[] set = concat(new byte[] {COM_QUERY}, "SET @x = 1".getBytes(StandardCharsets.US_ASCII));
      c.writeRaw(concat(frame(set), frame(truncated), frame(ping)));
      c.drain(500);
    }
  }

  /** Frames announcing 16 MiB that never come, before and after login, and handshakes that stall. */
  private void oversizedAnnouncementsAndStalls() throws IOException {
    byte[] announce = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0, COM_QUERY, 'S', 'E', 'L'};
    for (int i = 0; i < 6; i++) {
      try (WireClient c = loggedIn()) {
        c.writeRaw(announce);
        if (i % 2 == 0) {
          c.abort();
        } else {
          c.drain(3000); // the read deadline (2 s) ends it
        }
      }
    }
    for (int i = 0; i < 3; i++) {
      try (WireClient c = new WireClient(port)) {
        c.readGreeting();
        c.writeRaw(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 1});
        c.drain(1500); // the handshake deadline (1 s) ends it
      }
    }
  }

  /** Clients that reset the connection mid-result and mid-query. */
  private void clientsThatVanishMidCommand() throws IOException {
    for (int i = 0; i < 10; i++) {
      WireClient c = loggedIn();
      String sql = i % 2 == 0
          ? "SELECT REPEAT('x', 100000) FROM information_schema.COLUMNS"
          : "SELECT SLEEP(5)";
      c.command(COM_QUERY, sql.getBytes(StandardCharsets.US_ASCII));
      if (i % 2 == 0) {
        c.read();
      }
      c.abort();
    }
  }

  private void badLoginStorm(int count) throws IOException {
    for (int i = 0; i < count; i++) {
      try (WireClient c = new WireClient(port)) {
        c.login(i % 2 == 0 ? "app" : "nobody" + i, "wrong");
        c.drain(100);
      }
    }
  }

  private void awaitNoConnections() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    double clients = -1;
    double backends = -1;
    while (System.nanoTime() < deadline) {
      clients = metricSum("tether_proxy_client_connections");
      backends = metricSum("tether_proxy_backend_connections");
      if (clients == 0 && backends == 0) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("connections left open: clients=" + clients + " backends=" + backends);
  }

  private double metricSum(String name) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    double sum = 0;
    for (String line : page.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** The node's used heap in bytes right after a full collection, as jcmd reports it. */
  private static long heapAfterCollection(JarProcess node) throws Exception {
    String jcmd = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jcmd").toString();
    String pid = Long.toString(node.process.pid());
    run(jcmd, pid, "GC.run");
    String info = run(jcmd, pid, "GC.heap_info");
    Matcher used = Pattern.compile("used (\\d+)K").matcher(info);
    assertTrue(used.find(), "jcmd GC.heap_info: " + info);
    return Long.parseLong(used.group(1)) * 1024;
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    return out;
  }

  private byte[] garbage(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private byte[] flip(byte[] bytes, int flips) {
    byte[] copy = bytes.clone();
    for (int i = 0; i < flips; i++) {
      copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
    }
    return copy;
  }

  private static byte[] frame(byte[] payload) {
    return concat(new byte[] {(byte) payload.length, (byte) (payload.length >> 8), (byte) (payload.length >> 16), 0},
        payload);
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }
}
