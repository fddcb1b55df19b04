package dev.tether.proxy.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tether.config.TransactionConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Replays and marker resolutions are counted by outcome and reason; the fault hook is off unless asked for. */
class TransactionMetricsTest {

  @Test
  void replaysAreCountedByOutcomeAndFailuresByReason() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TransactionMetrics metrics = new TransactionMetrics(registry);
    metrics.replay(ReplayResult.replayed(3, 1), Duration.ofMillis(4));
    metrics.replay(ReplayResult.failed(ReplayOutcome.MISMATCH, 1, "differs", 0), Duration.ofMillis(2));
    metrics.replay(ReplayResult.notReplayable(NotReplayable.TOO_MANY_BYTES), Duration.ZERO);
    metrics.replay(ReplayResult.notReplayable(NotReplayable.TOO_MANY_STATEMENTS), Duration.ZERO);
    assertEquals(1, metrics.replayedCount());
    assertEquals(1, metrics.failures("mismatch"));
    assertEquals(2, metrics.failures("too_large"));
    assertEquals(1, registry.find(TransactionMetrics.REPLAY_DURATION).tag("outcome", "replayed").timer().count());
    metrics.commitResolved(CommitResolution.COMMITTED);
    metrics.commitResolved(CommitResolution.NOT_COMMITTED);
    assertEquals(1, registry.find(TransactionMetrics.COMMITS_RESOLVED).tag("outcome", "replayed").counter().count());
    assertEquals(0, registry.find(TransactionMetrics.COMMITS_RESOLVED).tag("outcome", "unknown").counter().count());
  }

  @Test
  void theFaultHookIsOffByDefaultAndTheSystemPropertyWins() {
    assertEquals(FaultInjection.NONE, FaultInjection.configured(TransactionConfig.defaults()));
    System.setProperty(FaultInjection.PROPERTY, "drop_after_commit");
    try {
      assertEquals(FaultInjection.DROP_AFTER_COMMIT, FaultInjection.configured(TransactionConfig.defaults()));
    } finally {
      System.clearProperty(FaultInjection.PROPERTY);
    }
  }
}
