package dev.tether.proxy.session;

import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.backend.BackendConnector;
import dev.tether.proxy.backend.BackendTarget;
import dev.tether.proxy.frontend.ClientLogin;
import dev.tether.proxy.protocol.MySqlException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Map;

/**
 * Gets a session a new backend connection with its state rebuilt: connect and log in (into the
 * session's current schema), replay, and on a connection failure try again with backoff until the
 * hold window closes. A replay the server refuses is final: trying again would not change its answer.
 */
final class SessionRecovery {
  private static final long FIRST_BACKOFF_MILLIS = 50;
  private static final long MAX_BACKOFF_MILLIS = 1_000;

  /** The rebuilt connection, where each client statement id lives on it, and why temporary tables were not copied. */
  record Recovered(BackendConnection backend, Map<Long, Long> statementIds, String tableCopyFailure) {}

  private SessionRecovery() {}

  /** Rebuilds {@code state}; {@code tables}, when not null, are temporary tables to recreate with it. */
  static Future<Recovered> reconnect(Vertx vertx, BackendConnector connector, ClientLogin login, SessionState state,
                                     TemporaryTableCopy tables, boolean deprecateEof, long deadlineMillis,
                                     long sessionId) {
    return reconnect(vertx, connector, null, login, state, tables, deprecateEof, deadlineMillis, sessionId);
  }

  /** As above, on {@code to} rather than the connector's current target when it is not null. */
  static Future<Recovered> reconnect(Vertx vertx, BackendConnector connector, BackendTarget to, ClientLogin login,
                                     SessionState state, TemporaryTableCopy tables, boolean deprecateEof,
                                     long deadlineMillis, long sessionId) {
    Promise<Recovered> result = Promise.promise();
    attempt(vertx, connector, to, login.withDatabase(state.schema()), state, tables, deprecateEof, deadlineMillis,
        sessionId, FIRST_BACKOFF_MILLIS, result);
    return result.future();
  }

  private static void attempt(Vertx vertx, BackendConnector connector, BackendTarget to, ClientLogin login,
                              SessionState state, TemporaryTableCopy tables, boolean deprecateEof, long deadlineMillis,
                              long sessionId, long backoff, Promise<Recovered> result) {
    connector.connect(login.toLoginRequest(), to != null ? to : connector.target())
        .compose(backend -> SessionReplayer.replay(backend, state, tables, deprecateEof, sessionId)
            .map(replayed -> new Recovered(backend, replayed.statementIds(), replayed.tableCopyFailure()))
            .onFailure(failed -> backend.close()))
        .onComplete(done -> {
          if (done.succeeded()) {
            result.complete(done.result());
            return;
          }
          Throwable cause = done.cause();
          if (cause instanceof ReplayFailure || isRefusal(cause)) {
            result.fail(cause instanceof ReplayFailure ? cause : new ReplayFailure("login_refused", cause.getMessage()));
            return;
          }
          if (System.currentTimeMillis() + backoff > deadlineMillis) {
            result.fail(new ReplayFailure("hold_window_expired", "no backend connection within the hold window: "
                + cause.getMessage()));
            return;
          }
          vertx.setTimer(backoff, id -> attempt(vertx, connector, to, login, state, tables, deprecateEof,
              deadlineMillis, sessionId, Math.min(backoff * 2, MAX_BACKOFF_MILLIS), result));
        });
  }

  /** The server answered the login with an error about the user or schema (not a connection fault). */
  private static boolean isRefusal(Throwable cause) {
    if (!(cause instanceof MySqlException e)) {
      return false;
    }
    return dev.tether.proxy.protocol.ServerError.refusesLogin(e.errorCode());
  }
}
