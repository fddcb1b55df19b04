package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.node.ProxyMetrics;
import dev.tether.proxy.node.AuthThrottle;
import dev.tether.proxy.protocol.AuthScramble;
import dev.tether.proxy.protocol.AuthSwitchRequest;
import dev.tether.proxy.protocol.ErrPacket;
import dev.tether.proxy.protocol.HandshakeResponse41;
import dev.tether.proxy.protocol.HandshakeV10;
import dev.tether.testkit.MariaDbServer;
import dev.tether.testkit.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.buffer.Buffer;
import java.io.DataInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Failed-login throttling through a real node. Client addresses are loopback addresses the test
 * binds its sockets to: 127.0.0.2 is the attacker, 127.0.0.1 the good client. A storm of 500
 * wrong passwords is delayed past the threshold, then refused for the cool-down, and counted;
 * good logins from the other address meanwhile are not slowed. Unknown user and wrong password
 * get the same answer and take the same time.
 */
class ThrottledLoginsTest {
  private static final int STORM = 500;
  private static final int DELAY_AFTER = 5;
  private static final int REFUSE_AFTER = 20;
  private static final int DELAY_MS = 200;

  @Test
  void aStormOfWrongPasswordsIsThrottledThenRefusedAndGoodLoginsElsewhereAreNotSlowed() throws Exception {
    try (ProxyHarness proxy = ProxyHarness.start(TestDatabase.shared().port(), Map.of(
        "proxy.authThrottle.failuresBeforeDelay", String.valueOf(DELAY_AFTER),
        "proxy.authThrottle.delayMs", String.valueOf(DELAY_MS),
        "proxy.authThrottle.failuresBeforeRefusal", String.valueOf(REFUSE_AFTER),
        "proxy.authThrottle.coolDownSeconds", "60"))) {
      List<Long> before = goodLogins(proxy.port(), 20);

      long cpuBefore = eventLoopCpuNanos();
      ExecutorService attackers = Executors.newFixedThreadPool(2);
      ConcurrentLinkedQueue<Attempt> storm = new ConcurrentLinkedQueue<>();
      AtomicInteger claimed = new AtomicInteger();
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        running.add(attackers.submit(() -> {
          while (claimed.incrementAndGet() <= STORM) {
            storm.add(attempt("127.0.0.2", proxy.port(), MariaDbServer.APP_USER, "wrong-password"));
          }
          return null;
        }));
      }
      Thread.sleep(100); // the storm is under way: its delayed attempts last about a second and a half
      List<Long> during = goodLogins(proxy.port(), 20);
      int overlapping = storm.size() < STORM ? 20 : 0;
      for (Future<?> f : running) {
        f.get(120, TimeUnit.SECONDS);
      }
      attackers.shutdown();
      long stormCpu = eventLoopCpuNanos() - cpuBefore;

      List<Attempt> attempts = new ArrayList<>(storm);
      long denied = attempts.stream().filter(a -> a.code == 1045).count();
      long refused = attempts.stream().filter(a -> a.code == 1129).count();
      long slow = attempts.stream().filter(a -> a.code == 1045 && a.nanos >= TimeUnit.MILLISECONDS.toNanos(DELAY_MS - 10))
          .count();
      assertEquals(REFUSE_AFTER, denied, "exactly the threshold's worth of attempts are verified at all");
      assertEquals(attempts.size() - REFUSE_AFTER, refused, "every other attempt is refused");
      assertTrue(slow >= REFUSE_AFTER - DELAY_AFTER, slow + " attempts were delayed");
      String refusal = attempts.stream().filter(a -> a.code == 1129).findFirst().orElseThrow().message;
      assertTrue(refusal.startsWith("Host '127.0.0.2' is blocked for "), refusal);
      assertEquals(1129, attempt("127.0.0.2", proxy.port(), MariaDbServer.APP_USER, MariaDbServer.APP_PASSWORD).code,
          "the right password from the blocked address is refused too, until the cool-down ends");
      assertEquals(0, attempt("127.0.0.1", proxy.port(), MariaDbServer.APP_USER, MariaDbServer.APP_PASSWORD).code);

      long refusedCpuBefore = eventLoopCpuNanos();
      for (int i = 0; i < 200; i++) {
        assertEquals(1129, attempt("127.0.0.2", proxy.port(), MariaDbServer.APP_USER, "wrong-password").code);
      }
      long refusedCpu = eventLoopCpuNanos() - refusedCpuBefore;
      System.out.printf("200 more attempts from the blocked address, all refused at connect: %.1f us of event-loop CPU each%n",
          refusedCpu / 1e3 / 200);

      MeterRegistry registry = proxy.node().metrics().registry();
      assertEquals(REFUSE_AFTER, registry.get(ProxyMetrics.AUTH_FAILURES).counter().count());
      assertEquals(REFUSE_AFTER - DELAY_AFTER, registry.get(AuthThrottle.THROTTLED).counter().count());
      assertEquals(refused + 1 + 200, registry.get(AuthThrottle.REFUSED).counter().count());

      long medianBefore = median(before);
      long medianDuring = median(during);
      System.out.printf("good JDBC login from 127.0.0.1: median %.2f ms before the storm, %.2f ms during it"
              + " (storm still running after them: %s); storm of %d: %d denied (%d delayed >= %d ms), %d refused;"
              + " node event-loop CPU during storm and good logins: %.1f ms (%.1f us per attempt)%n",
          medianBefore / 1e6, medianDuring / 1e6, overlapping > 0, attempts.size(), denied, slow, DELAY_MS, refused,
          stormCpu / 1e6, stormCpu / 1e3 / (attempts.size() + during.size()));
      assertTrue(overlapping > 0, "the good logins ran while the storm did");
      assertTrue(medianDuring < Math.max(5 * medianBefore, medianBefore + TimeUnit.MILLISECONDS.toNanos(150)),
          "good logins elsewhere are not held up: " + medianBefore / 1e6 + " ms vs " + medianDuring / 1e6 + " ms");
    }
  }

  @Test
  void unknownUserAndWrongPasswordGetTheSameAnswerInTheSameTime() throws Exception {
    try (ProxyHarness proxy = ProxyHarness.start(TestDatabase.shared().port(),
        Map.of("proxy.authThrottle.enabled", "false"))) {
      List<Long> unknown = new ArrayList<>();
      List<Long> wrong = new ArrayList<>();
      String unknownAnswer = null;
      String wrongAnswer = null;
      for (int i = 0; i < 220; i++) {
        Attempt u = attempt("127.0.0.3", proxy.port(), "no_such_user", "wrong-password");
        Attempt w = attempt("127.0.0.3", proxy.port(), "app", "wrong-password");
        if (i >= 20) { // the first tries warm the JIT up
          unknown.add(u.nanos);
          wrong.add(w.nanos);
        }
        unknownAnswer = u.code + " " + u.sqlState + " " + u.message.replace("no_such_user", "USER");
        wrongAnswer = w.code + " " + w.sqlState + " " + w.message.replace("app", "USER");
      }
      assertEquals(wrongAnswer, unknownAnswer);
      assertEquals("1045 28000 Access denied for user 'USER'@'127.0.0.3' (using password: YES)", wrongAnswer);
      long u = median(unknown);
      long w = median(wrong);
      System.out.printf("unknown user: median %.3f ms; wrong password: median %.3f ms (200 tries each)%n", u / 1e6, w / 1e6);
      assertTrue(Math.abs(u - w) < TimeUnit.MILLISECONDS.toNanos(5), "medians " + u / 1e6 + " vs " + w / 1e6 + " ms");
    }
  }

  private static List<Long> goodLogins(int port, int count) throws Exception {
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/tether?user="
          + MariaDbServer.APP_USER + "&password=" + MariaDbServer.APP_PASSWORD
          + "&sslMode=disable&localSocketAddress=127.0.0.1")) {
        times.add(System.nanoTime() - start);
      }
    }
    return times;
  }

  /** CPU time of the node's event loops (the whole frontend runs on them). */
  private static long eventLoopCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (ThreadInfo info : threads.dumpAllThreads(false, false)) {
      if (info.getThreadName().startsWith("vert.x-eventloop-thread-")) {
        total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  /** One login attempt's answer: 0 for OK, else the error code; and how long it took from connect to answer. */
  private record Attempt(int code, String sqlState, String message, long nanos) {}

  /** A mysql_native_password login from {@code localAddress}, on a raw socket, as a guessing client would make it. */
  private static Attempt attempt(String localAddress, int port, String user, String password) {
    long start = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(localAddress, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(10_000);
      socket.setTcpNoDelay(true);
      DataInputStream in = new DataInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      Buffer first = read(in);
      if (first.getUnsignedByte(0) == 0xFF) {
        return answer(first, start);
      }
      HandshakeV10 greeting = HandshakeV10.decode(first);
      out.write(new HandshakeResponse41(RawClient.CAPABILITIES, 1 << 24, 45, user,
          AuthScramble.nativePassword(password, greeting.scramble()), "tether", "mysql_native_password", null)
          .encode(1).getBytes());
      out.flush();
      Buffer reply = read(in);
      if (reply.getUnsignedByte(0) == 0xFE) {
        AuthSwitchRequest change = AuthSwitchRequest.decode(reply);
        byte[] proof = AuthScramble.nativePassword(password, change.pluginData());
        out.write(Buffer.buffer().appendMediumLE(proof.length).appendByte((byte) 3).appendBytes(proof).getBytes());
        out.flush();
        reply = read(in);
      }
      return answer(reply, start);
    } catch (IOException e) {
      throw new AssertionError("attempt from " + localAddress + " failed: " + e, e);
    }
  }

  private static Attempt answer(Buffer payload, long start) {
    long nanos = System.nanoTime() - start;
    if (payload.getUnsignedByte(0) == 0x00) {
      return new Attempt(0, "", "", nanos);
    }
    ErrPacket err = ErrPacket.decode(payload);
    return new Attempt(err.errorCode(), err.sqlState(), err.message(), nanos);
  }

  private static Buffer read(DataInputStream in) throws IOException {
    int length = in.readUnsignedByte() | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
    in.readUnsignedByte(); // sequence id
    byte[] payload = new byte[length];
    in.readFully(payload);
    return Buffer.buffer(payload);
  }
}
