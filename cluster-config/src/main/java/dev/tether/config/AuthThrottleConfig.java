package dev.tether.config;

import java.time.Duration;

/**
 * Throttling of failed logins, per client address: after {@code failuresBeforeDelay} failures
 * within {@code window} each further attempt waits {@code delay} before it is verified; after
 * {@code failuresBeforeRefusal} the address is refused for {@code coolDown}, then starts afresh
 * (like the server's max_connect_errors, but never permanent).
 */
public record AuthThrottleConfig(boolean enabled, int failuresBeforeDelay, Duration delay, int failuresBeforeRefusal,
                                 Duration coolDown, Duration window) {
  public AuthThrottleConfig {
    if (failuresBeforeRefusal < failuresBeforeDelay) {
      throw new ConfigException("proxy.authThrottle.failuresBeforeRefusal",
          "must be at least failuresBeforeDelay (" + failuresBeforeDelay + ")");
    }
  }

  public static AuthThrottleConfig defaults() {
    return new AuthThrottleConfig(true, 5, Duration.ofMillis(1000), 20, Duration.ofSeconds(60), Duration.ofMinutes(10));
  }
}
