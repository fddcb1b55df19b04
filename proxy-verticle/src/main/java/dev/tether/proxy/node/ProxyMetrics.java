package dev.tether.proxy.node;

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
  /** Prometheus: tether_proxy_sessions{state=idle|busy|in_transaction|migrating}, counted every second. */
  public static final String SESSIONS = "tether.proxy.sessions";
  /** Prometheus: tether_proxy_commands_total{command=query|stmt_execute|...}: commands sent to the backend. */
  public static final String COMMANDS = "tether.proxy.commands";
  /** Prometheus: tether_proxy_backend_response_seconds: command sent to its response complete (histogram). */
  public static final String BACKEND_RESPONSE = "tether.proxy.backend.response";
  /** Prometheus: tether_proxy_{client,backend}_{received,sent}_bytes_total: bytes read from and written to each side. */
  public static final String CLIENT_RECEIVED = "tether.proxy.client.received";
  public static final String CLIENT_SENT = "tether.proxy.client.sent";
  public static final String BACKEND_RECEIVED = "tether.proxy.backend.received";
  public static final String BACKEND_SENT = "tether.proxy.backend.sent";
  /** Prometheus: tether_proxy_held_commands_total{reason=switchover}: commands that waited for a switchover's RESTORE. */
  public static final String HELD_COMMANDS = "tether.proxy.held.commands";
  /** Prometheus: tether_proxy_session_rebuilds_total{outcome=rebuilt|failed,reason}: sessions moved to a new backend connection. */
  public static final String REBUILDS = "tether.proxy.session.rebuilds";
  /** Prometheus: tether_proxy_session_migrations_total{outcome=staged|replayed,reason}: sessions moved at a switchover. */
  public static final String MIGRATIONS = "tether.proxy.session.migrations";
  /** Sessions not staged on the next primary at BLOCK, by reason (a StageRefusal label). */
  public static final String NOT_STAGED = "tether.proxy.sessions.not.staged";
  /** Session states of {@link #SESSIONS}, in the order {@link #sessionStates} takes them. */
  public static final java.util.List<String> SESSION_STATES = java.util.List.of("idle", "busy", "in_transaction", "migrating");
  /** Bucket bounds of the backend response histogram, in milliseconds. */
  private static final double[] LATENCY_BUCKETS_MS = {0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000,
      10000, 30000};

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
  private final Timer switchoverHold;
  private final LatencyHistogram backendResponse;
  private final Counter heldCommands;
  private final dev.tether.proxy.transaction.TransactionMetrics transactions;
  /** Hot path, once or more per relayed command: plain adders read by function counters at scrape time. */
  private final java.util.concurrent.atomic.LongAdder[] commands = new java.util.concurrent.atomic.LongAdder[256];
  private final dev.tether.proxy.net.ByteMeter clientTraffic;
  private final dev.tether.proxy.net.ByteMeter backendTraffic;
  /** Per event loop: its sessions by state, as it counted them last (written on that loop, read by scrapes). */
  private final java.util.List<java.util.concurrent.atomic.AtomicIntegerArray> sessionStates =
      new java.util.concurrent.CopyOnWriteArrayList<>();

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
    held = Timer.builder(HOLD_TIME).tag("reason", "reconnect")
        .description("time sessions were held: while reconnecting, or while a switchover blocked them")
        .publishPercentileHistogram().publishPercentiles(0.5, 0.99).register(registry);
    switchoverHold = Timer.builder(HOLD_TIME).tag("reason", "switchover")
        .description("time sessions were held: while reconnecting, or while a switchover blocked them")
        .publishPercentileHistogram().publishPercentiles(0.5, 0.99).register(registry);
    backendResponse = new LatencyHistogram(registry, "tether_proxy_backend_response_seconds",
        "from a command sent to the backend to its response complete", LATENCY_BUCKETS_MS);
    heldCommands = Counter.builder(HELD_COMMANDS).tag("reason", "switchover")
        .description("commands that waited for a switchover's RESTORE").register(registry);
    clientTraffic = meter(bytes(CLIENT_RECEIVED, "bytes read from clients"), bytes(CLIENT_SENT, "bytes written to clients"));
    backendTraffic = meter(bytes(BACKEND_RECEIVED, "bytes read from backends"), bytes(BACKEND_SENT, "bytes written to backends"));
    java.util.Map<String, java.util.concurrent.atomic.LongAdder> byName = new java.util.HashMap<>();
    for (int command = 0; command < commands.length; command++) {
      commands[command] = byName.computeIfAbsent(commandName(command), name -> {
        var adder = new java.util.concurrent.atomic.LongAdder();
        io.micrometer.core.instrument.FunctionCounter.builder(COMMANDS, adder, java.util.concurrent.atomic.LongAdder::sum)
            .tag("command", name).description("commands sent to the backend, by command").register(registry);
        return adder;
      });
    }
    for (int state = 0; state < SESSION_STATES.size(); state++) {
      int index = state;
      Gauge.builder(SESSIONS, () -> sessionStates.stream().mapToInt(counts -> counts.get(index)).sum())
          .tag("state", SESSION_STATES.get(state)).description("client sessions by state, counted every second")
          .register(registry);
    }
    rebuild("rebuilt", "none");
    migration("staged", "none");
    transactions = new dev.tether.proxy.transaction.TransactionMetrics(registry);
  }

  /** The meters of transaction replay and the commit marker (names in {@link dev.tether.proxy.transaction.TransactionMetrics}). */
  public dev.tether.proxy.transaction.TransactionMetrics transactions() {
    return transactions;
  }

  public void reconnected(java.time.Duration heldFor) {
    reconnected.increment();
    held.record(heldFor);
    rebuild("rebuilt", "none").increment();
  }

  /** A session that could not be rebuilt, by reason (history_over_cap, reconnect_timeout, replay_step_failed, ...). */
  public void replayFailed(String reason) {
    registry.counter(REPLAYS_FAILED, "reason", reason).increment();
    rebuild("failed", reason).increment();
  }

  public void staged() {
    staged.increment();
    migration("staged", "none").increment();
  }

  /** A session that could not stage its connection on the next primary at BLOCK, and why. */
  public void notStaged(String reason) {
    Counter.builder(NOT_STAGED).tag("reason", reason)
        .description("sessions not staged on the next primary during BLOCK, by reason").register(registry).increment();
  }

  /** A session moved at a switchover by replaying its state on a new connection, and why it had no staged one. */
  public void migratedByReplay(String reason) {
    migration("replayed", reason).increment();
  }

  private Counter rebuild(String outcome, String reason) {
    return Counter.builder(REBUILDS).tags("outcome", outcome, "reason", reason)
        .description("sessions moved to a new backend connection after a loss or at a switchover, by outcome").register(registry);
  }

  private Counter migration(String outcome, String reason) {
    return Counter.builder(MIGRATIONS).tags("outcome", outcome, "reason", reason)
        .description("sessions moved to the new primary at a switchover: onto their staged connection, or by replay")
        .register(registry);
  }

  /** A command of {@code commandByte} sent to the backend; returns the time it was sent (System.nanoTime). */
  public long commandSent(int commandByte) {
    commands[commandByte & 0xFF].increment();
    return System.nanoTime();
  }

  public void backendResponse(long nanos) {
    backendResponse.record(nanos);
  }

  /** A command held by a switchover's BLOCK. */
  public void heldBySwitchover() {
    heldCommands.increment();
  }

  /** A session's commands released at RESTORE after waiting {@code millis}; negative: none was held. */
  public void releasedAfterSwitchover(long millis) {
    if (millis >= 0) {
      switchoverHold.record(java.time.Duration.ofMillis(millis));
    }
  }

  /** Counts client sockets' bytes. */
  public dev.tether.proxy.net.ByteMeter clientTraffic() {
    return clientTraffic;
  }

  /** Counts backend sockets' bytes. */
  public dev.tether.proxy.net.ByteMeter backendTraffic() {
    return backendTraffic;
  }

  private java.util.concurrent.atomic.LongAdder bytes(String name, String description) {
    var adder = new java.util.concurrent.atomic.LongAdder();
    io.micrometer.core.instrument.FunctionCounter.builder(name, adder, java.util.concurrent.atomic.LongAdder::sum)
        .baseUnit("bytes").description(description).register(registry);
    return adder;
  }

  private static dev.tether.proxy.net.ByteMeter meter(java.util.concurrent.atomic.LongAdder received,
                                                      java.util.concurrent.atomic.LongAdder sent) {
    return new dev.tether.proxy.net.ByteMeter() {
      @Override
      public void received(int bytes) {
        received.add(bytes);
      }

      @Override
      public void sent(int bytes) {
        sent.add(bytes);
      }
    };
  }

  /** A slot for one event loop's session counts, in {@link #SESSION_STATES} order. */
  public java.util.concurrent.atomic.AtomicIntegerArray sessionStates() {
    var counts = new java.util.concurrent.atomic.AtomicIntegerArray(SESSION_STATES.size());
    sessionStates.add(counts);
    return counts;
  }

  static String commandName(int command) {
    return switch (command) {
      case 0x01 -> "quit";
      case 0x02 -> "init_db";
      case 0x03 -> "query";
      case 0x04 -> "field_list";
      case 0x09 -> "statistics";
      case 0x0C -> "process_kill";
      case 0x0E -> "ping";
      case 0x11 -> "change_user";
      case 0x16 -> "stmt_prepare";
      case 0x17 -> "stmt_execute";
      case 0x18 -> "stmt_send_long_data";
      case 0x19 -> "stmt_close";
      case 0x1A -> "stmt_reset";
      case 0x1B -> "set_option";
      case 0x1C -> "stmt_fetch";
      case 0x1F -> "reset_connection";
      default -> "other";
    };
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

  /** A connection turned away, and why. */
  public void rejected(Rejection rejection) {
    String reason = rejection.label();
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
