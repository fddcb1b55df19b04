package dev.tether.proxy.session;

import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.backend.BackendConnector;
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

  record Recovered(BackendConnection backend, Map<Long, Long> statementIds) {}

  private SessionRecovery() {}

  static Future<Recovered> reconnect(Vertx vertx, BackendConnector connector, ClientLogin login, SessionState state,
                                     boolean deprecateEof, long deadlineMillis, long sessionId) {
    Promise<Recovered> result = Promise.promise();
    attempt(vertx, connector, login.withDatabase(state.schema()), state, deprecateEof, deadlineMillis, sessionId,
        FIRST_BACKOFF_MILLIS, result);
    return result.future();
  }

  private static void attempt(Vertx vertx, BackendConnector connector, ClientLogin login, SessionState state,
                              boolean deprecateEof, long deadlineMillis, long sessionId, long backoff,
                              Promise<Recovered> result) {
    connector.connect(login.toLoginRequest())
        .compose(backend -> SessionReplayer.replay(backend, state, deprecateEof, sessionId)
            .map(ids -> new Recovered(backend, ids))
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
          vertx.setTimer(backoff, id -> attempt(vertx, connector, login, state, deprecateEof, deadlineMillis, sessionId,
              Math.min(backoff * 2, MAX_BACKOFF_MILLIS), result));
        });
  }

  /** The server answered the login with an error about the user or schema (not a connection fault). */
  private static boolean isRefusal(Throwable cause) {
    if (!(cause instanceof MySqlException e)) {
      return false;
    }
    return e.errorCode() == 1045 || e.errorCode() == 1049 || e.errorCode() == 1044;
  }
}
