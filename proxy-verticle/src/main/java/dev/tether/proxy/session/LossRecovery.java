package dev.tether.proxy.session;

import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.protocol.ErrPacket;
import dev.tether.proxy.protocol.ErrorCode;
import dev.tether.proxy.protocol.OkPacket;
import dev.tether.proxy.protocol.ServerStatus;
import dev.tether.proxy.transaction.TransactionLoss;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's backend connection is lost: tell a KILL from a loss to heal ({@link BackendLoss}),
 * decide what the session does ({@link LossClassifier}), and do it: end the session, fail or
 * re-send the command in flight, and rebuild the session on a new connection within the hold
 * window ({@link SessionRebuild}), telling its next statement of whatever could not come along.
 * Confined to the session's event loop.
 */
final class LossRecovery extends SessionRole {
  private static final Logger log = LoggerFactory.getLogger(LossRecovery.class);

  /** Why the transaction about to be reported lost was not replayed, or null (confined to the event loop). */
  private String lostBecause;
  /** The rebuild under way, or null (confined to the event loop). */
  private SessionRebuild rebuilding;

  LossRecovery(RelaySession session, SessionContext context, SessionParts parts) {
    super(session, context, parts);
  }

  /** The connection {@code connection} closed; nothing to do unless it is the session's own. */
  void onBackendLost(BackendConnection connection) {
    Phase lostIn = session.phase();
    if (connection != session.backend() || lostIn == Phase.CLOSED
        || lostIn == Phase.RECONNECTING) {
      return;
    }
    session.phase(Phase.RECONNECTING); // held while BackendLoss tells a KILL from a loss to heal
    BackendLoss.classify(connection, parts.command().killedBy(), context.connector()).onComplete(outcome -> {
      if (session.phase() == Phase.RECONNECTING && connection == session.backend()) {
        session.phase(lostIn);
        boolean heals = parts.recorder().droppedByFault(connection) || !outcome.succeeded() || outcome.result().heals();
        log.debug("session {}: backend {} lost in {}", context.id(), connection.address(), lostIn);
        LossClassifier.Outcome decided = LossClassifier.classify(facts(lostIn, heals));
        if (!carried(decided, parts.recorder().onBackendLost(), connection)) {
          act(decided);
        }
      }
    });
  }

  private LossClassifier.Facts facts(Phase lostIn, boolean heals) {
    LossClassifier.Where where = switch (lostIn) {
      case IDLE, REFRESHING, HELD, KILL_LOOKUP -> LossClassifier.Where.BETWEEN_COMMANDS;
      case AWAITING -> LossClassifier.Where.IN_FLIGHT;
      case STARTING, RECEIVING, UPLOADING, CHANGE_USER_AUTH -> LossClassifier.Where.MID_COMMAND;
      case CHANGE_USER_CONNECTING, RECONNECTING, CLOSED -> LossClassifier.Where.ELSEWHERE;
    };
    CommandInFlight command = parts.command();
    SessionState state = parts.learner().state();
    boolean known = command.retryFrame() != null;
    return new LossClassifier.Facts(where, heals, heals && parts.idleLimit().reached(context.now()),
        parts.stateTracker().tracks(),
        known && RetryPolicy.mayResend(command.view(), command.responseStarted(), command.statusBefore(), state),
        command.responseStarted(), command.inTransactionBefore(),
        known && RetryPolicy.cannotHaveCommitted(command.view(), state), command.killedBy() != null);
  }

  /**
   * Issue 11: an open transaction the journal can carry is replayed (or its lost COMMIT resolved)
   * on the rebuilt connection instead of being reported lost; a ROLLBACK in flight is answered OK.
   * Returns false when the classifier's outcome stands as it is (today's rules, the fallback).
   */
  private boolean carried(LossClassifier.Outcome outcome, TransactionLoss loss, BackendConnection lost) {
    CommandInFlight command = parts.command();
    CarryDecision decision = CarryDecision.decide(outcome, loss, command.retryFrame() != null);
    return switch (decision) {
      case REPLAY_BETWEEN_COMMANDS -> {
        rebuild(null, false, null, new TransactionCarry.Pending(loss, lost));
        yield true;
      }
      case CARRY_IN_FLIGHT -> {
        session.relay().flush();
        parts.tracker().reset();
        rebuild(command.retryFrame(), false, null, new TransactionCarry.Pending(loss, lost));
        yield true;
      }
      case RESEND_BEGIN -> {
        session.relay().flush();
        parts.tracker().reset();
        rebuild(command.retryFrame(), false, null);
        yield true;
      }
      case ANSWER_ROLLBACK -> {
        session.relay().flush();
        parts.tracker().reset();
        context.client().write(OkPacket.of(parts.tracker().statusFlags() & ~ServerStatus.IN_TRANS)
            .encode(command.nextSequenceToClient(), context.clientTracksState()));
        rebuild(null, false, null);
        yield true;
      }
      case REFUSED -> {
        context.metrics().transactions().refused(loss.reason());
        lostBecause = outcome == LossClassifier.Outcome.OUTCOME_UNKNOWN ? null : loss.reason().description();
        yield false;
      }
      case COMMIT_UNKNOWN -> {
        context.metrics().transactions().commitUnknown();
        yield false;
      }
      case COMMAND_NOT_KEPT -> {
        lostBecause = "the statement in flight was too large to send again";
        yield false;
      }
      case NONE -> false;
    };
  }

  private void act(LossClassifier.Outcome outcome) {
    switch (outcome) {
      case SESSION_KILLED -> {
        context.metrics().failedByLoss(outcome.label()); // a KILL ends the session as on the server:
        session.endings().end(parts.command().killedBy(), parts.command().nextSequenceToClient()); // one that killed itself is told so
      }
      case IDLE_EXPIRED -> session.endings().expireIdle(); // the backend timed out with the client's own wait_timeout
      case UNTRACKED -> session.endings().end(ErrPacket.of(ErrorCode.BACKEND_UNAVAILABLE, "Tether: lost the connection to the"
          + " database"), session.phase() == Phase.IDLE ? 0 : parts.command().nextSequenceToClient());
      case REBUILD -> rebuild(null, session.inTransaction(), null);
      case RESEND, RESULT_INTERRUPTED, TRANSACTION_LOST, STATEMENT_KILLED, OUTCOME_UNKNOWN -> lostInFlight(outcome);
      case MID_COMMAND -> session.endings().end(ErrPacket.of(ErrorCode.BACKEND_UNAVAILABLE,
          "Tether: lost the connection to the database during the command"), parts.command().nextSequenceToClient());
      case IGNORED -> { }
    }
  }

  /** The backend died with a command in flight: re-send it, or fail it as the classifier decided. */
  private void lostInFlight(LossClassifier.Outcome outcome) {
    CommandInFlight command = parts.command();
    session.relay().flush();
    parts.tracker().reset();
    ErrPacket error = switch (outcome) {
      case RESULT_INTERRUPTED -> ErrPacket.of(ErrorCode.RESULT_INTERRUPTED, "Tether: the connection to the database"
          + " was lost while the result was being sent; the statement failed and the connection is usable again");
      case TRANSACTION_LOST -> transactionLost();
      case STATEMENT_KILLED -> command.killedBy(); // the server answered: the statement was stopped, not applied
      case OUTCOME_UNKNOWN -> outcomeUnknown();
      case RESEND, SESSION_KILLED, IDLE_EXPIRED, UNTRACKED, REBUILD, MID_COMMAND, IGNORED -> null;
    };
    if (error == null) {
      rebuild(command.retryFrame(), false, null);
      return;
    }
    context.metrics().failedByLoss(outcome.label());
    context.client().sendError(error, command.nextSequenceToClient());
    rebuild(null, command.inTransactionBefore() && outcome != LossClassifier.Outcome.TRANSACTION_LOST, null);
  }

  /** What the next statement must be told after a loss: a lost transaction, or lost temporary tables. */
  private ErrPacket lossNotice(boolean transactionLost) {
    SessionState state = parts.learner().state();
    String tables = String.join(", ", state.temporaryTables());
    for (String table : state.temporaryTables()) {
      state = state.withTemporaryTable(table, false);
    }
    parts.learner().state(state);
    if (transactionLost) {
      return tables.isEmpty() ? transactionLost() : ErrPacket.of(ErrorCode.TRANSACTION_LOST, transactionLost().message()
          + " Temporary tables " + tables + " were lost too.");
    }
    if (!tables.isEmpty()) {
      context.metrics().failedByLoss("temporary_tables_lost");
      return ErrPacket.of(ErrorCode.SESSION_STATE_LOST, "Tether: the connection to the database was lost and the"
          + " temporary tables " + tables + " with it; the session continues without them");
    }
    return null;
  }

  static ErrPacket outcomeUnknown() {
    return ErrPacket.of(ErrorCode.OUTCOME_UNKNOWN, "Tether: the connection to the database was lost during the"
        + " statement; it may or may not have been applied. The connection is usable again");
  }

  /** Why the transaction now being reported lost could not be replayed (issue 11), for its error; once. */
  void lostBecause(String why) {
    lostBecause = why;
  }

  ErrPacket transactionLost() {
    String why = lostBecause;
    lostBecause = null;
    return ErrPacket.of(ErrorCode.TRANSACTION_LOST, "Tether: the connection to the database was lost and the open"
        + " transaction was rolled back" + (why == null ? "" : " (it could not be replayed: " + why + ")")
        + "; retry the transaction (the connection is usable again).");
  }

  /**
   * Holds the session while a new backend connection is made and the state replayed on it; then
   * re-sends {@code resend} if not null. The next statement is told of what could not come along:
   * the open transaction when {@code transactionLost}, and the temporary tables unless
   * {@code tables} recreates them.
   */
  void rebuild(Buffer resend, boolean transactionLost, TemporaryTableCopy tables) {
    rebuild(resend, transactionLost, tables, null);
  }

  /** As {@link #rebuild(Buffer, boolean, TemporaryTableCopy)}, then carries {@code carry}'s transaction over first. */
  void rebuild(Buffer resend, boolean transactionLost, TemporaryTableCopy tables, TransactionCarry.Pending carry) {
    ErrPacket nextNotice = tables == null ? lossNotice(transactionLost) : transactionLost ? transactionLost() : null;
    session.phase(Phase.RECONNECTING);
    long heldSince = context.now();
    SessionState state = parts.learner().state();
    int replySequence = resend != null ? parts.command().replySequence() : 0;
    RebuildCheck.Refusal refusal = RebuildCheck.refusal(state, parts.learner().lostState(),
        context.services().config().session());
    if (refusal != null) {
      context.metrics().replayFailed(refusal.reason().label());
      log.info("session {}: not migrated: {}", context.id(), refusal.message());
      session.endings().end(ErrPacket.of(ErrorCode.BACKEND_UNAVAILABLE, "Tether: the connection to the database was lost and"
          + " this session cannot be rebuilt: " + refusal.message()), replySequence);
      return;
    }
    long deadline = heldSince + context.services().config().session().holdWindow().toMillis();
    SessionRebuild started = SessionRebuild.start(context, null, session.login(), state, tables, deadline);
    rebuilding = started;
    started.future().onComplete(rebuilt -> {
      if (rebuilding == started) {
        rebuilding = null;
      }
      if (session.phase() == Phase.CLOSED) {
        if (rebuilt.succeeded()) {
          rebuilt.result().backend().close();
        }
        return;
      }
      if (rebuilt.failed()) {
        ReplayFailure.Reason reason = rebuilt.cause() instanceof ReplayFailure f ? f.reason()
            : ReplayFailure.Reason.RECONNECT_FAILED;
        context.metrics().replayFailed(reason.label());
        log.info("session {}: not migrated: {} ({})", context.id(), reason.label(), rebuilt.cause().getMessage());
        session.endings().end(ErrPacket.of(ErrorCode.BACKEND_UNAVAILABLE, "Tether: the connection to the database was lost and"
            + " the session could not be rebuilt: " + rebuilt.cause().getMessage()), replySequence);
        return;
      }
      String copyFailure = rebuilt.result().tableCopyFailure();
      ErrPacket told = nextNotice;
      if (copyFailure != null) {
        log.info("session {}: temporary tables not recreated: {}", context.id(), copyFailure);
        told = lossNotice(transactionLost);
      } else if (tables != null) {
        context.metrics().temporaryTablesCopied(tables.tables().size());
      }
      session.useBackend(rebuilt.result().backend(), rebuilt.result().statementIds());
      context.metrics().reconnected(Duration.ofMillis(context.now() - heldSince));
      log.debug("session {}: rebuilt on backend thread {} after {} ms", context.id(),
          rebuilt.result().backend().threadId(), context.now() - heldSince);
      if (carry != null) {
        ErrPacket toldAfter = told;
        TransactionCarry.run(context, parts, carry, rebuilt.result().backend()).otherwise(TransactionCarry::failed)
            .onComplete(carried -> afterCarry(carried.result(), rebuilt.result().backend(), resend, toldAfter));
        return;
      }
      session.becomeIdle();
      if (told != null) {
        session.intake().notice(told); // a notice not yet delivered stays until a newer one replaces it
      }
      if (session.switchover().targetMoved()) {
        session.switchover().migrate(resend); // the target moved while this session was reconnecting
        return;
      }
      if (resend != null) {
        context.metrics().retried();
        session.intake().resend(resend);
      }
      session.drainQueue();
    });
  }

  /** The node's target moved while the session is being rebuilt: a retry waiting out its backoff goes now. */
  void targetMoved() {
    if (rebuilding != null) {
      rebuilding.targetMoved();
    }
  }

  /**
   * SWITCH onto a connection staged on the new primary while the coordinator promoted (the
   * session's state already replayed there): only the open transaction is left to carry over.
   */
  void carryOnto(SessionRebuild.Rebuilt staged, TransactionCarry.Pending carry) {
    session.phase(Phase.RECONNECTING);
    session.useBackend(staged.backend(), staged.statementIds());
    TransactionCarry.run(context, parts, carry, staged.backend()).otherwise(TransactionCarry::failed)
        .onComplete(carried -> afterCarry(carried.result(), staged.backend(), null, null));
  }

  /**
   * The transaction was carried (or not) onto {@code rebuilt}: the session takes the connection
   * back from the replay and goes on, re-sending the pending command after a replay, answering a
   * settled COMMIT, or reporting the transaction lost, now (a command was pending) or at the next
   * statement.
   */
  private void afterCarry(TransactionCarry.Carried carried, BackendConnection rebuilt, Buffer resend, ErrPacket told) {
    if (session.phase() == Phase.CLOSED || rebuilt != session.backend()) {
      return;
    }
    session.listen();
    if (carried.statusFlags() >= 0) {
      parts.tracker().statusFlags(carried.statusFlags());
    }
    int replySequence = parts.command().replySequence();
    if (told != null) {
      session.intake().notice(told); // temporary tables lost with the connection
    }
    boolean goesOn = switch (carried.result()) {
      case REPLAYED -> replayed(rebuilt, resend, replySequence);
      case COMMITTED -> {
        context.client().write(OkPacket.of(parts.tracker().statusFlags()).encode(replySequence,
            context.clientTracksState()));
        session.becomeIdle();
        yield true;
      }
      case OUTCOME_UNKNOWN -> {
        context.metrics().failedByLoss(LossClassifier.Outcome.OUTCOME_UNKNOWN.label());
        context.client().sendError(outcomeUnknown(), replySequence);
        session.becomeIdle();
        yield true;
      }
      case ROLLED_BACK -> rolledBack(carried.detail(), rebuilt, resend, replySequence);
    };
    if (!goesOn) {
      return; // the connection went again: rebuilt once more
    }
    if (session.phase() == Phase.IDLE && session.switchover().targetMoved()) {
      session.switchover().migrate(); // the target moved while this session was reconnecting
      return;
    }
    session.drainQueue();
  }

  /**
   * Replayed: the pending command is re-sent; false when the connection was lost again as the
   * replay ended, or the target moved past it (the session moves on, and re-sends there).
   */
  private boolean replayed(BackendConnection rebuilt, Buffer resend, int replySequence) {
    if (rebuilt.isClosed()) { // lost again as the replay ended: carry it once more
      TransactionLoss again = parts.recorder().onBackendLost();
      if (TransactionCarry.carries(again)) {
        rebuild(resend, false, null, new TransactionCarry.Pending(again, rebuilt));
      } else if (resend != null) {
        context.client().sendError(transactionLost(), replySequence);
        rebuild(null, false, null);
      } else {
        rebuild(null, true, null);
      }
      return false;
    }
    session.becomeIdle();
    if (resend != null && session.switchover().targetMoved()) {
      session.switchover().migrate(resend); // replayed behind a SWITCH: carried once more, then re-sent there
      return false;
    }
    if (resend != null) {
      context.metrics().retried();
      parts.recorder().resending(true);
      session.intake().resend(resend);
      parts.recorder().resending(false);
    }
    return true;
  }

  /** Not replayed, rolled back: reported lost now or at the next statement; false when the connection went too. */
  private boolean rolledBack(String why, BackendConnection rebuilt, Buffer resend, int replySequence) {
    context.metrics().failedByLoss(LossClassifier.Outcome.TRANSACTION_LOST.label());
    lostBecause = why;
    if (resend != null) {
      context.client().sendError(transactionLost(), replySequence);
    }
    if (rebuilt.isClosed()) {
      rebuild(null, resend == null, null);
      return false;
    }
    if (resend == null) {
      session.intake().notice(transactionLost());
    }
    session.becomeIdle();
    return true;
  }
}
