package dev.tether.proxy.session;

import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.backend.BackendTarget;
import dev.tether.proxy.backend.InternalExchange;
import dev.tether.proxy.frontend.ClientLogin;
import dev.tether.proxy.protocol.MySqlException;
import dev.tether.proxy.protocol.ServerError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Map;

/**
 * One rebuild of a session's state on a new backend connection: connect and log in (into the
 * session's current schema), replay, and on a connection failure try again with backoff until the
 * deadline. A replay the server refuses is final: trying again would not change its answer. Each
 * rebuild is one object carrying what it needs, so the retries take nothing but the next backoff.
 */
final class SessionRebuild {
  private static final long FIRST_BACKOFF_MILLIS = 50;
  private static final long MAX_BACKOFF_MILLIS = 1_000;

  /** The rebuilt connection, where each client statement id lives on it, and why temporary tables were not copied. */
  record Rebuilt(BackendConnection backend, Map<Long, Long> statementIds, String tableCopyFailure) {}

  private final SessionContext context;
  private final BackendTarget to;
  private final ClientLogin login;
  private final SessionState state;
  private final TemporaryTableCopy tables;
  private final long deadlineMillis;
  private final Promise<Rebuilt> result = Promise.promise();
  /** The timer of the retry waiting out its backoff (-1: none), and the backoff after it; on the event loop. */
  private long retryTimer = -1;
  private long nextBackoff;

  private SessionRebuild(SessionContext context, BackendTarget to, ClientLogin login, SessionState state,
                         TemporaryTableCopy tables, long deadlineMillis) {
    this.context = context;
    this.to = to;
    this.login = login.withDatabase(state.schema());
    this.state = state;
    this.tables = tables;
    this.deadlineMillis = deadlineMillis;
  }

  /**
   * Rebuilds {@code state} on {@code to} (the connector's current target when null), recreating
   * {@code tables} with it when not null, retrying connection failures until {@code deadlineMillis}.
   * Following the current target, a connection that lands behind it (the target moved while it was
   * being made) is closed and made again to the new one, so nothing the caller sends next reaches
   * a server that is no longer the primary.
   */
  static SessionRebuild start(SessionContext context, BackendTarget to, ClientLogin login, SessionState state,
                               TemporaryTableCopy tables, long deadlineMillis) {
    SessionRebuild rebuild = new SessionRebuild(context, to, login, state, tables, deadlineMillis);
    rebuild.attempt(FIRST_BACKOFF_MILLIS);
    return rebuild;
  }

  /** Completes with the rebuilt connection, or fails with why there is none. */
  Future<Rebuilt> future() {
    return result.future();
  }

  /**
   * The node's target moved (a SWITCH): a retry waiting out its backoff, after failures to reach a
   * primary that is gone, is made now, to the new one. Without this a failover's sessions would
   * wait up to the longest backoff after the new primary is known.
   */
  void targetMoved() {
    if (to == null && retryTimer >= 0 && context.vertx().cancelTimer(retryTimer)) {
      retryTimer = -1;
      attempt(nextBackoff);
    }
  }

  private void attempt(long backoff) {
    context.connector().connect(login.toLoginRequest(), to != null ? to : context.connector().target())
        .compose(backend -> SessionReplayer.replay(backend, state, tables, context.deprecateEof(), context.id())
            .map(replayed -> new Rebuilt(backend, replayed.statementIds(), replayed.tableCopyFailure()))
            .onFailure(failed -> backend.close()))
        .onComplete(done -> {
          if (done.succeeded() && to == null && done.result().backend().target().epoch()
              != context.connector().target().epoch()) {
            done.result().backend().close(); // a SWITCH came while it was being made: that server is no longer the primary
            attempt(backoff);
            return;
          }
          if (done.succeeded()) {
            result.complete(done.result());
            return;
          }
          Throwable cause = done.cause();
          if (cause instanceof ReplayFailure) {
            result.fail(cause);
          } else if (cause instanceof InternalExchange.StatementTooLong) {
            result.fail(new ReplayFailure(ReplayFailure.Reason.REPLAY_STEP_FAILED, cause.getMessage()));
          } else if (cause instanceof MySqlException e && ServerError.refusesLogin(e.errorCode())) {
            result.fail(new ReplayFailure(ReplayFailure.Reason.LOGIN_REFUSED, cause.getMessage()));
          } else if (context.now() + backoff > deadlineMillis) {
            result.fail(new ReplayFailure(ReplayFailure.Reason.HOLD_WINDOW_EXPIRED,
                "no backend connection within the hold window: " + cause.getMessage()));
          } else {
            nextBackoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            retryTimer = context.vertx().setTimer(backoff, id -> {
              retryTimer = -1;
              attempt(nextBackoff);
            });
          }
        });
  }
}
