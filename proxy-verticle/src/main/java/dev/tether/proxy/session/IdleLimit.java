package dev.tether.proxy.session;

import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.backend.InternalExchange;
import dev.tether.proxy.protocol.TextResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The client's own idle limit, as its server enforces it: the session's {@code wait_timeout}, counted
 * from the end of the last response or the last byte from the client, whichever is later. The server
 * sets it from {@code interactive_timeout} for CLIENT_INTERACTIVE clients at login (and init_connect
 * may change it), so it is read from the backend at login, and learned like every variable after.
 * {@code proxy.idleTimeoutSeconds} stays the node's own bound, enforced apart.
 *
 * <p>One timer per session, armed lazily: when it fires it checks how long the client has really
 * been idle and re-arms for the rest, so commands cost no timer work. Confined to the event loop.
 */
final class IdleLimit {
  static final String READ = "SELECT @@session.wait_timeout";
  /** A backend lost this close to the client's own limit is that same timeout, seen from the backend. */
  private static final long SAME_TIMEOUT_MILLIS = 50;

  private final Vertx vertx;
  private final BooleanSupplier awaitingClient;
  private final BooleanSupplier ended;
  private final LongSupplier clientActivityMillis;
  private final Runnable reached;
  private final LongSupplier clock;
  /** The session's wait_timeout at login; 0 when unknown (then only the node's bound applies). */
  private long loginSeconds;
  private SessionState seen;
  private long limitMillis = Long.MAX_VALUE;
  private long respondedMillis;
  private long timer = -1;
  private long timerDeadline;
  private boolean stopped;

  /**
   * {@code awaitingClient}: the session waits for the client's next command; {@code reached} runs
   * once the client has been idle for its limit; {@code clockMillis} is the session's clock.
   */
  IdleLimit(Vertx vertx, BooleanSupplier awaitingClient, BooleanSupplier ended, LongSupplier clientActivityMillis,
            Runnable reached, LongSupplier clockMillis) {
    this.vertx = vertx;
    this.awaitingClient = awaitingClient;
    this.ended = ended;
    this.clientActivityMillis = clientActivityMillis;
    this.reached = reached;
    this.clock = clockMillis;
    this.respondedMillis = clockMillis.getAsLong();
  }

  /** Reads the session's wait_timeout on a freshly logged-in backend connection. */
  Future<Void> readAtLogin(BackendConnection backend, boolean deprecateEof) {
    return InternalExchange.run(backend, deprecateEof, List.of(InternalExchange.Request.query(READ))).map(results -> {
      TextResult result = results.get(0);
      if (!result.isError() && !result.rows().isEmpty() && result.rows().get(0).get(0) != null) {
        loginSeconds = Long.parseLong(new String(result.rows().get(0).get(0), StandardCharsets.US_ASCII));
        seen = null;
      }
      return null;
    });
  }

  /** A response to the client ended: its idle time starts now, under the limit {@code state} sets. */
  void responded(SessionState state) {
    respondedMillis = clock.getAsLong();
    if (stopped) {
      return;
    }
    if (state != seen) {
      seen = state;
      limitMillis = limitMillis(state);
    }
    arm(respondedMillis + limitMillis);
  }

  /** True when the client, waited for, has been idle for its limit (a backend lost now timed out with it). */
  boolean reached(long nowMillis) {
    return limitMillis != Long.MAX_VALUE && awaitingClient.getAsBoolean()
        && nowMillis - idleSince() >= limitMillis - SAME_TIMEOUT_MILLIS;
  }

  /** The session is over: its timer goes, so nothing keeps the session reachable until it would fire. */
  void stop() {
    stopped = true;
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private long limitMillis(SessionState state) {
    String value = state.systemVariables().get("wait_timeout");
    long seconds = loginSeconds;
    if (value != null) {
      try {
        seconds = Long.parseLong(value.trim());
      } catch (NumberFormatException e) {
        seconds = loginSeconds;
      }
    }
    return seconds > 0 ? seconds * 1000 : Long.MAX_VALUE;
  }

  private long idleSince() {
    return Math.max(respondedMillis, clientActivityMillis.getAsLong());
  }

  private void arm(long deadline) {
    if (limitMillis == Long.MAX_VALUE || (timer != -1 && timerDeadline <= deadline)) {
      return; // no limit, or the armed timer comes first and will re-arm
    }
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
    timerDeadline = deadline;
    timer = vertx.setTimer(Math.max(1, deadline - clock.getAsLong()), id -> onTimer());
  }

  private void onTimer() {
    timer = -1;
    if (stopped || ended.getAsBoolean() || limitMillis == Long.MAX_VALUE) {
      return;
    }
    long now = clock.getAsLong();
    if (!awaitingClient.getAsBoolean()) {
      arm(now + limitMillis); // busy (or being rebuilt): look again later
    } else if (now - idleSince() >= limitMillis) {
      reached.run();
    } else {
      arm(idleSince() + limitMillis);
    }
  }
}
