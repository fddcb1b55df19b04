package dev.tether.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicInteger;

/** The meters of one proxy node, with their names; counted from every event loop. */
public final class ProxyMetrics {
  public static final String CLIENT_CONNECTIONS = "tether.proxy.client.connections";
  public static final String BACKEND_CONNECTIONS = "tether.proxy.backend.connections";
  public static final String CLIENT_ACCEPTED = "tether.proxy.client.accepted";
  public static final String CLIENT_REJECTED = "tether.proxy.client.rejected";
  public static final String AUTH_FAILURES = "tether.proxy.auth.failures";
  public static final String PROTOCOL_ERRORS = "tether.proxy.protocol.errors";
  public static final String BUGS = "tether.proxy.bugs";
  public static final String SESSIONS_RECONNECTED = "tether.proxy.sessions.reconnected";
  public static final String SESSIONS_STAGED = "tether.proxy.sessions.staged";
  public static final String REPLAYS_FAILED = "tether.proxy.replays.failed";
  public static final String STATEMENTS_RETRIED = "tether.proxy.statements.retried";
  public static final String STATEMENTS_FAILED_BY_LOSS = "tether.proxy.statements.failed.by.loss";
  public static final String HOLD_TIME = "tether.proxy.session.hold";
  public static final String STATE_REFRESHES = "tether.proxy.session.state.refreshes";
  public static final String TEMPORARY_TABLES_COPIED = "tether.proxy.temporary.tables.copied";

  private final MeterRegistry registry;
  private final AtomicInteger clientConnections = new AtomicInteger();
  private final AtomicInteger backendConnections = new AtomicInteger();
  private final Counter accepted;
  private final Counter authFailures;
  private final Counter protocolErrors;
  private final Counter reconnected;
  private final Counter staged;
  private final Counter retried;
  private final Counter refreshes;
  private final Counter temporaryTablesCopied;
  private final Timer held;

  public ProxyMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(CLIENT_CONNECTIONS, clientConnections, AtomicInteger::get)
        .description("open client connections").register(registry);
    Gauge.builder(BACKEND_CONNECTIONS, backendConnections, AtomicInteger::get)
        .description("open backend connections").register(registry);
    accepted = Counter.builder(CLIENT_ACCEPTED).register(registry);
    authFailures = Counter.builder(AUTH_FAILURES).register(registry);
    protocolErrors = Counter.builder(PROTOCOL_ERRORS).register(registry);
    reconnected = Counter.builder(SESSIONS_RECONNECTED)
        .description("sessions rebuilt on a new backend connection").register(registry);
    staged = Counter.builder(SESSIONS_STAGED)
        .description("sessions switched onto a connection prepared on the next primary during BLOCK").register(registry);
    retried = Counter.builder(STATEMENTS_RETRIED)
        .description("reads re-sent after their backend connection was lost").register(registry);
    refreshes = Counter.builder(STATE_REFRESHES)
        .description("user variables / LAST_INSERT_ID read back after a state change").register(registry);
    temporaryTablesCopied = Counter.builder(TEMPORARY_TABLES_COPIED)
        .description("temporary tables recreated, rows included, on a new primary at a planned switchover")
        .register(registry);
    held = Timer.builder(HOLD_TIME).description("time sessions were held while reconnecting")
        .publishPercentileHistogram().publishPercentiles(0.5, 0.99).register(registry);
  }

  public void reconnected(java.time.Duration heldFor) {
    reconnected.increment();
    held.record(heldFor);
  }

  /** A session that could not be rebuilt, by reason (history_over_cap, reconnect_timeout, replay_step_failed, ...). */
  public void replayFailed(String reason) {
    registry.counter(REPLAYS_FAILED, "reason", reason).increment();
  }

  public void staged() {
    staged.increment();
  }

  public double stagedCount() {
    return staged.count();
  }

  public void retried() {
    retried.increment();
  }

  /** A statement that failed because its connection was lost, by outcome (transaction_lost, outcome_unknown, ...). */
  public void failedByLoss(String outcome) {
    registry.counter(STATEMENTS_FAILED_BY_LOSS, "outcome", outcome).increment();
  }

  public void temporaryTablesCopied(int tables) {
    temporaryTablesCopied.increment(tables);
  }

  public double temporaryTablesCopiedCount() {
    return temporaryTablesCopied.count();
  }

  public void stateRefreshed() {
    refreshes.increment();
  }

  public double replaysFailed(String reason) {
    var counter = registry.find(REPLAYS_FAILED).tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  public double reconnectedCount() {
    return reconnected.count();
  }

  /** The hold-time timer: its snapshot gives the rebuild-time percentiles the benchmark reports. */
  public Timer holdTimer() {
    return held;
  }

  public double retriedCount() {
    return retried.count();
  }

  public MeterRegistry registry() {
    return registry;
  }

  public AtomicInteger clientConnections() {
    return clientConnections;
  }

  public AtomicInteger backendConnections() {
    return backendConnections;
  }

  public void accepted() {
    accepted.increment();
  }

  /** A connection turned away, by reason (too_many_connections, handshake_timeout, ...). */
  public void rejected(String reason) {
    registry.counter(CLIENT_REJECTED, "reason", reason).increment();
  }

  public void authFailure() {
    authFailures.increment();
  }

  public void protocolError() {
    protocolErrors.increment();
  }

  /** An impossible transition: logged as BUG by the caller, counted here by where it happened. */
  public void bug(String where) {
    registry.counter(BUGS, "where", where).increment();
  }
}
