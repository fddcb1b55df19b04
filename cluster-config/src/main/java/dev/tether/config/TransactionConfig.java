package dev.tether.config;

import java.time.Duration;

/**
 * Transaction replay: how much of an open transaction a session records (bytes of statements and
 * number of statements; past either it stops and the transaction is not replayable), how long a
 * replay may run, whether COMMITs carry a commit marker so a commit lost in flight can be resolved,
 * how long markers are kept, and a fault to inject for tests ({@code none} outside tests).
 */
public record TransactionConfig(long maxBytes, int maxStatements, Duration replayTimeout, boolean commitMarker,
                                Duration markerRetention, String faultInjection) {

  public static TransactionConfig defaults() {
    return new TransactionConfig(1024 * 1024, 1000, Duration.ofSeconds(5), false, Duration.ofMinutes(10), "none");
  }
}
