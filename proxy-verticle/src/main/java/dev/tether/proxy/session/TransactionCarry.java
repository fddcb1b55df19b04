package dev.tether.proxy.session;

import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.protocol.ServerStatus;
import dev.tether.proxy.transaction.CommitMarker;
import dev.tether.proxy.transaction.OldConnection;
import dev.tether.proxy.transaction.StatementTranslator;
import dev.tether.proxy.transaction.TransactionLoss;
import dev.tether.proxy.transaction.TransactionMetrics;
import dev.tether.proxy.transaction.TransactionReplay;
import io.vertx.core.Future;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries a session's open transaction over to the connection its state was just rebuilt on
 * (issue 11): replays it, verified statement by statement ({@link TransactionReplay}), or, for a
 * COMMIT whose answer was lost, asks the new primary through the commit marker whether it
 * committed ({@link CommitMarker#resolve}), replaying it when it provably did not. When the new
 * connection is to the server the lost one was on, it first waits for the lost connection's
 * thread to be gone: until then its transaction holds its locks and its COMMIT may still run.
 * The session does what the {@link Carried} result says. Runs on the session's event loop, while
 * the session is held (RECONNECTING).
 */
final class TransactionCarry {
  private static final Logger log = LoggerFactory.getLogger(TransactionCarry.class);

  /** What became of the transaction. */
  enum Result {
    /** Replayed and verified: it is open on the new connection; the pending command, if any, is re-sent. */
    REPLAYED,
    /** The lost COMMIT had committed: the client gets OK. */
    COMMITTED,
    /** Not replayed (a difference, an error, a bound): rolled back; the client gets 1213/40001. */
    ROLLED_BACK,
    /** The lost COMMIT's outcome cannot be known: the client gets 1105/HY000 "outcome unknown". */
    OUTCOME_UNKNOWN
  }

  /** The result, the status flags the new connection was left with (-1: unchanged), and why. */
  record Carried(Result result, int statusFlags, String detail) {}

  /** A transaction to carry: what the journal said at the loss, and the connection that was lost. */
  record Pending(TransactionLoss loss, BackendConnection lost) {}

  private TransactionCarry() {}

  static Future<Carried> run(SessionContext context, SessionParts parts, Pending pending, BackendConnection rebuilt) {
    Duration bound = context.services().config().proxy().transactions().replayTimeout();
    boolean sameServer = pending.lost().address().equals(rebuilt.address());
    long oldThread = sameServer ? pending.lost().threadId() : -1;
    TransactionMetrics metrics = context.metrics().transactions();
    return switch (pending.loss().kind()) {
      case COMMIT_IN_FLIGHT -> CommitMarker.resolve(context.vertx(), rebuilt, pending.loss().marker(), oldThread, bound)
          .compose(resolution -> {
            metrics.commitResolved(resolution);
            log.info("session {}: lost COMMIT resolved by its marker: {} (marker INSERT {})", context.id(), resolution,
                pending.loss().marker().answer());
            return switch (resolution) {
              case COMMITTED -> settled(parts, Result.COMMITTED, "committed before the connection was lost");
              case NOT_COMMITTED -> replay(context, parts, rebuilt, -1, bound); // the old thread is gone already
              case UNKNOWN -> settled(parts, Result.OUTCOME_UNKNOWN, "the commit marker could not settle it");
            };
          });
      case REPLAY -> replay(context, parts, rebuilt, oldThread, bound);
      case NO_TRANSACTION, REFUSED, ROLLED_BACK, BEGIN_IN_FLIGHT -> Future.failedFuture(new IllegalStateException(
          "BUG: nothing to carry for " + pending.loss().kind()));
    };
  }

  private static Future<Carried> settled(SessionParts parts, Result result, String detail) {
    parts.recorder().reset(); // the transaction is over either way
    return Future.succeededFuture(new Carried(result, parts.tracker().statusFlags() & ~ServerStatus.IN_TRANS, detail));
  }

  private static Future<Carried> replay(SessionContext context, SessionParts parts, BackendConnection rebuilt,
                                        long oldThread, Duration bound) {
    Future<Boolean> gone = oldThread < 0 ? Future.succeededFuture(true)
        : OldConnection.gone(context.vertx(), rebuilt, oldThread, bound).otherwise(false);
    long started = System.nanoTime();
    return gone.compose(isGone -> TransactionReplay.run(context.vertx(), rebuilt, parts.recorder().journal(),
        translator(parts), bound)).map(result -> {
          Duration took = Duration.ofNanos(System.nanoTime() - started);
          context.metrics().transactions().replay(result, took);
          log.info("session {}: transaction {} after {} ms: {}", context.id(),
              result.replayed() ? "replayed" : "not replayed (" + result.label() + ")", took.toMillis(), result.detail());
          if (!result.replayed()) {
            parts.recorder().reset();
            return new Carried(Result.ROLLED_BACK, result.statusFlags(), result.detail());
          }
          return new Carried(Result.REPLAYED, result.statusFlags(), result.detail());
        });
  }

  /** Client statement id to the id it has on the rebuilt connection; -1 for a statement the session no longer has. */
  private static StatementTranslator translator(SessionParts parts) {
    return clientId -> parts.learner().state().preparedStatements().containsKey(clientId)
        ? parts.statementIds().statements().backendId(clientId) : -1;
  }

  /** Whether this loss is one the carry can take: a replayable transaction, or a COMMIT with its marker. */
  static boolean carries(TransactionLoss loss) {
    return switch (loss.kind()) {
      case REPLAY -> true;
      case COMMIT_IN_FLIGHT -> loss.marker() != null;
      case NO_TRANSACTION, REFUSED, ROLLED_BACK, BEGIN_IN_FLIGHT -> false;
    };
  }

  /** A failed future from the carry (a bug) as a result: the transaction is reported rolled back. */
  static Carried failed(Throwable cause) {
    return new Carried(Result.ROLLED_BACK, -1, String.valueOf(cause.getMessage()));
  }
}
