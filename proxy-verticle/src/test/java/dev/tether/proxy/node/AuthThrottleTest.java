package dev.tether.proxy.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.config.AuthThrottleConfig;
import dev.tether.proxy.node.AuthThrottle.Verdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The throttle's decisions, with an injected clock: delay, refusal, cool-down, window, and other addresses untouched. */
class AuthThrottleTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AuthThrottle throttle = new AuthThrottle(new AuthThrottleConfig(true, 3, Duration.ofMillis(100), 6,
      Duration.ofSeconds(60), Duration.ofSeconds(300)), registry, now::get);

  @Test
  void failuresAreDelayedThenRefusedThenForgivenAfterTheCoolDown() {
    for (int i = 0; i < 3; i++) {
      assertEquals(Verdict.ALLOW, throttle.attempt("10.0.0.2", "app"), "attempt " + i);
    }
    for (int i = 3; i < 6; i++) {
      assertEquals(Verdict.DELAY, throttle.attempt("10.0.0.2", "app"), "attempt " + i);
    }
    assertEquals(Verdict.REFUSE, throttle.attempt("10.0.0.2", "app"));
    ErrPacketView refusal = new ErrPacketView(throttle.refusalAtConnect("10.0.0.2"));
    assertTrue(refusal.text.contains("Host '10.0.0.2' is blocked for 60 s"), refusal.text);
    assertEquals(Verdict.ALLOW, throttle.attempt("10.0.0.1", "app"), "another address is not touched");
    assertNull(throttle.refusalAtConnect("10.0.0.1"));

    now.addAndGet(Duration.ofSeconds(61).toMillis());
    assertNull(throttle.refusalAtConnect("10.0.0.2"), "never permanent");
    assertEquals(Verdict.ALLOW, throttle.attempt("10.0.0.2", "app"), "starts afresh after the cool-down");
    assertEquals(3.0, registry.get(AuthThrottle.THROTTLED).counter().count());
    assertEquals(2.0, registry.get(AuthThrottle.REFUSED).counter().count());
  }

  @Test
  void aSuccessfulLoginIsNoFailure() {
    for (int i = 0; i < 10; i++) {
      assertEquals(Verdict.ALLOW, throttle.attempt("10.0.0.3", "app"));
      throttle.forgive("10.0.0.3", "app");
    }
  }

  @Test
  void failuresOutsideTheWindowAreForgotten() {
    for (int i = 0; i < 3; i++) {
      throttle.attempt("10.0.0.4", "app");
    }
    assertEquals(Verdict.DELAY, throttle.attempt("10.0.0.4", "app"));
    now.addAndGet(Duration.ofSeconds(301).toMillis());
    assertEquals(Verdict.ALLOW, throttle.attempt("10.0.0.4", "app"));
  }

  @Test
  void unknownUsersAndWrongPasswordsCountAlike() {
    throttle.attempt("10.0.0.5", "app");
    throttle.attempt("10.0.0.5", "no_such_user");
    throttle.attempt("10.0.0.5", "another_unknown");
    assertEquals(Verdict.DELAY, throttle.attempt("10.0.0.5", "app"));
  }

  @Test
  void aDisabledThrottleAllowsEverything() {
    AuthThrottle off = new AuthThrottle(new AuthThrottleConfig(false, 1, Duration.ofMillis(100), 1,
        Duration.ofSeconds(60), Duration.ofSeconds(300)), registry, now::get);
    for (int i = 0; i < 100; i++) {
      assertEquals(Verdict.ALLOW, off.attempt("10.0.0.6", "app"));
    }
    assertNull(off.refusalAtConnect("10.0.0.6"));
  }

  @Test
  void theTableOfAddressesIsBounded() {
    for (int i = 0; i < AuthThrottle.MAX_TRACKED + 10; i++) {
      throttle.attempt("addr-" + i, "app");
    }
    assertEquals(AuthThrottle.MAX_TRACKED, throttle.trackedAddresses());
    now.addAndGet(Duration.ofSeconds(301).toMillis());
    throttle.attempt("late", "app");
    assertEquals(1, throttle.trackedAddresses(), "expired entries are pruned to make room");
  }

  /** The message of an ERR packet. */
  private record ErrPacketView(String text) {
    ErrPacketView(dev.tether.proxy.protocol.ErrPacket packet) {
      this(assertNotNullThen(packet).message());
    }

    private static dev.tether.proxy.protocol.ErrPacket assertNotNullThen(dev.tether.proxy.protocol.ErrPacket packet) {
      assertNotNull(packet);
      return packet;
    }
  }
}
