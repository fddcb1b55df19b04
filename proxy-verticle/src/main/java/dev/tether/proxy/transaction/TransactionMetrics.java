package dev.tether.proxy.transaction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The meters of transaction replay and the commit marker, with their names; counted from every event loop. */
public final class TransactionMetrics {
  /** Prometheus: tether_proxy_transactions_replayed_total: open transactions carried to a new backend, verified. */
  public static final String REPLAYED = "tether.proxy.transactions.replayed";
  /**
   * Prometheus: tether_proxy_transactions_replay_failures_total{reason}: replays refused or failed, by
   * {@link ReplayResult#label()} (mismatch, server_error, timeout, connection_lost, statement_unknown,
   * commit_unknown, and the journal's refusals: too_large, non_deterministic, implicit_commit, ...).
   */
  public static final String REPLAY_FAILURES = "tether.proxy.transactions.replay.failures";
  /** Prometheus: tether_proxy_transactions_replay_seconds{outcome=replayed|failed}: time a replay took (histogram). */
  public static final String REPLAY_DURATION = "tether.proxy.transactions.replay";
  /** Prometheus: tether_proxy_transactions_commits_resolved_total{outcome=committed|replayed|unknown}: lost COMMITs settled by the marker. */
  public static final String COMMITS_RESOLVED = "tether.proxy.transactions.commits.resolved";

  private final MeterRegistry registry;
  private final Counter replayed;
  private final Timer replayedTime;
  private final Timer failedTime;

  public TransactionMetrics(MeterRegistry registry) {
    this.registry = registry;
    replayed = Counter.builder(REPLAYED).description("open transactions replayed on a new backend, every result verified")
        .register(registry);
    replayedTime = duration("replayed");
    failedTime = duration("failed");
    for (CommitResolution resolution : CommitResolution.values()) {
      resolved(resolution);
    }
  }

  private Timer duration(String outcome) {
    return Timer.builder(REPLAY_DURATION).tag("outcome", outcome)
        .description("time a transaction replay took, inside the session's hold window")
        .publishPercentileHistogram().register(registry);
  }

  /** One replay ended, with the time it took. */
  public void replay(ReplayResult result, Duration took) {
    if (result.replayed()) {
      replayed.increment();
      replayedTime.record(took);
    } else {
      registry.counter(REPLAY_FAILURES, "reason", result.label()).increment();
      failedTime.record(took);
    }
  }

  /** An open transaction lost without a replay: the journal had refused it for {@code reason}. */
  public void refused(NotReplayable reason) {
    registry.counter(REPLAY_FAILURES, "reason", reason.label()).increment();
  }

  /** A COMMIT (of a transaction the journal could replay) lost in flight without a marker to settle it. */
  public void commitUnknown() {
    registry.counter(REPLAY_FAILURES, "reason", ReplayOutcome.COMMIT_UNKNOWN.label()).increment();
  }

  /** A lost COMMIT settled by its marker (NOT_COMMITTED is counted as "replayed": the replay follows). */
  public void commitResolved(CommitResolution resolution) {
    resolved(resolution).increment();
  }

  private Counter resolved(CommitResolution resolution) {
    String outcome = switch (resolution) {
      case COMMITTED -> "committed";
      case NOT_COMMITTED -> "replayed";
      case UNKNOWN -> "unknown";
    };
    return Counter.builder(COMMITS_RESOLVED).tag("outcome", outcome)
        .description("COMMITs whose answer was lost, settled by the commit marker").register(registry);
  }

  public double replayedCount() {
    return replayed.count();
  }

  public double failures(String reason) {
    Counter counter = registry.find(REPLAY_FAILURES).tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }
}
