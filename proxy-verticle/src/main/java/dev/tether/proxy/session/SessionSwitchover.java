package dev.tether.proxy.session;

import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.backend.BackendTarget;
import io.vertx.core.buffer.Buffer;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's part in a switchover: BLOCK holds its new work outside transactions, and may stage
 * a connection on the next primary; SWITCH moves it there between commands (adopting the staged
 * connection, or migrating by replay, temporary tables copied from the old primary) and, when a
 * coordinator sent it, holds all new work; RESTORE releases what was held. Confined to the
 * session's event loop.
 */
public final class SessionSwitchover extends SessionRole {
  private static final Logger log = LoggerFactory.getLogger(SessionSwitchover.class);

  private SwitchState state = SwitchState.FOLLOWING;
  /** SWITCH: move to the node's new target as soon as the command in flight ends. */
  private boolean movePending;
  /**
   * The block window passed with this session's transaction still open: its next command waits for
   * SWITCH if the transaction can be replayed there (the old primary is about to be fenced).
   */
  private boolean windowClosed;
  /**
   * A coordinator's SWITCH came: until RESTORE every new command waits, in a transaction or not, so
   * that the transactions carried over are all replayed before anything else runs on the new
   * primary (a commit made meanwhile could change what a replay reads, and fail it as a mismatch).
   */
  private boolean switchHolds;
  /** The connection staged on the next primary (only in {@link SwitchState#STAGED}). */
  private StagedBackend staged;
  /** The epoch of the target the current backend connection was made to. */
  private long backendEpoch;
  /** When this BLOCK first held a command (0: none yet), and how long the last BLOCK held one. */
  private long heldSinceMillis;
  private long lastHoldMillis;

  SessionSwitchover(RelaySession session, SessionContext context, SessionParts parts, long backendEpoch) {
    super(session, context, parts);
    this.backendEpoch = backendEpoch;
  }

  /**
   * The session's backend connection is now one made to a target of {@code epoch}. A SWITCH that
   * came while the session was rebuilding after its own loss is done with, when the rebuild
   * reached the target it named: moving again would close a good connection, and with it the
   * transaction the client has opened there since.
   */
  void connectedTo(long epoch) {
    backendEpoch = epoch;
    if (!targetMoved()) {
      movePending = false;
    }
  }

  /** Whether the node's target moved past the session's connection. */
  boolean targetMoved() {
    return backendEpoch != context.connector().target().epoch();
  }

  /**
   * The session starts: while its node holds new work for a switchover it holds its commands too,
   * until RESTORE; if a SWITCH replaced the target its backend connection was made to (it logged in
   * meanwhile), it moves before its first command.
   */
  void starting(boolean nodeHolds) {
    switchHolds = nodeHolds;
    movePending = targetMoved();
  }

  /** BLOCK: from now on the session's next command outside a transaction waits for {@link #restore}. */
  public void block() {
    state = state.blocked();
    lastHoldMillis = 0;
  }

  /** How long a command of this session waited in the last switchover (known once it is restored). */
  public long lastHoldMillis() {
    return lastHoldMillis;
  }

  /** True while the session is about to move (SWITCH came during a command). */
  boolean movePending() {
    return movePending;
  }

  /** Between commands: whether SWITCH's move is due now (not while its staged connection is on its way). */
  boolean moveDue() {
    return movePending && !state.staging();
  }

  /**
   * The block window passed, or a BLOCK in replay mode began (issue 11): from now until SWITCH or
   * RESTORE, the next command of a transaction the journal can replay waits, to run on the new
   * primary after the replay rather than on the old one as it is fenced.
   */
  public void holdReplayableTransaction() {
    windowClosed = state.blocks();
  }

  /** Whether this session's open transaction waits, between its commands, to be replayed at SWITCH. */
  private boolean heldForReplay() {
    return windowClosed && parts.recorder().replayable();
  }

  /**
   * Whether a new command must wait: outside a transaction, for RESTORE; inside a replayable one,
   * once the block window has passed, for SWITCH. If so, it starts waiting now.
   */
  boolean holds(boolean inTransaction) {
    if (!switchHolds && (!state.blocks() || (inTransaction && !heldForReplay()))) {
      return false;
    }
    if (heldSinceMillis == 0) {
      heldSinceMillis = context.now();
      context.metrics().heldBySwitchover();
    }
    return true;
  }

  /**
   * SWITCH: moves now if between commands, otherwise once the command in flight ends; when
   * {@code holdUntilRestore}, new commands wait for RESTORE from now on.
   */
  public void switchBackend(boolean holdUntilRestore) {
    switchHolds = holdUntilRestore;
    windowClosed = false;
    if (session.phase() == Phase.CLOSED || !targetMoved()) {
      return;
    }
    if (session.betweenCommands() && !state.staging()) {
      migrate();
    } else {
      movePending = true; // after the command in flight, or once its staged connection is made (one per session)
      if (session.phase() == Phase.RECONNECTING) {
        session.recovery().targetMoved(); // a rebuild waiting out its backoff tries the new primary now
      }
    }
  }

  /** Why a session may not stage on {@code next} now, or null when it may: one decision, every refusal named. */
  private StageRefusal refusal(BackendTarget next) {
    SessionState current = parts.learner().state();
    if (!parts.stateTracker().tracks()) {
      return StageRefusal.UNTRACKED;
    } else if (!state.blocks()) {
      return StageRefusal.NOT_BLOCKED;
    } else if (state != SwitchState.BLOCKED) {
      return StageRefusal.ALREADY_STAGING;
    } else if (!session.betweenCommands()) {
      return StageRefusal.BUSY;
    } else if (session.inTransaction() && !heldForReplay()) {
      return StageRefusal.IN_TRANSACTION;
    } else if (parts.learner().refreshWanted()) {
      return StageRefusal.READ_BACK_PENDING;
    } else if (!current.temporaryTables().isEmpty()) {
      return StageRefusal.TEMPORARY_TABLES;
    } else if (RebuildCheck.refusal(current, parts.learner().lostState(), context.services().config().session())
        != null) {
      return StageRefusal.NOT_REBUILDABLE;
    } else if (backendEpoch >= next.epoch()) {
      return StageRefusal.NOT_NEWER;
    }
    return null;
  }

  /**
   * BLOCK naming the next primary: a quiescent session, or one whose transaction is held for
   * replay, opens its connection there now and replays its state, so SWITCH only swaps
   * connections (and replays the held transaction on it). One attempt, no retries: a session that cannot be
   * staged moves the ordinary way, and the reason is counted.
   */
  public void stage(BackendTarget next) {
    StageRefusal refused = refusal(next);
    if (refused != null) {
      log.debug("session {}: not staged on {}: {}", context.id(), next.address(), refused.label());
      context.metrics().notStaged(refused.label());
      return;
    }
    SessionState replayed = parts.learner().state();
    state = SwitchState.STAGING;
    SessionRebuild.start(context, next, session.login(), replayed, null, context.now()).future().onComplete(done -> {
      boolean kept = false;
      if (done.failed()) {
        log.debug("session {}: not staged on {}: {}", context.id(), next.address(), done.cause().getMessage());
      } else {
        kept = keep(new StagedBackend(done.result(), replayed, next));
      }
      state = state.stagingDone(kept);
      if (movePending && session.betweenCommands()) {
        migrate(); // SWITCH came while the connection was being made
      }
    });
  }

  /** Keeps a staged connection that is still of use (true), and closes one that is not. */
  private boolean keep(StagedBackend ready) {
    if (session.phase() == Phase.CLOSED || state != SwitchState.STAGING
        || parts.learner().state() != ready.state() || backendEpoch >= ready.target().epoch()) {
      ready.discard(); // the moment passed while it was being made
      return false;
    }
    staged = ready;
    ready.recovered().backend().closeHandler(closed -> {
      if (staged == ready) {
        staged = null;
        state = state.unstaged();
      }
    });
    return true;
  }

  void discardStaged() {
    if (staged != null) {
      staged.discard();
      staged = null;
      state = state.unstaged();
    }
  }

  /** RESTORE: held commands go on, to whichever backend the session now has. */
  public void restore() {
    switchHolds = false;
    windowClosed = false;
    discardStaged();
    state = state.restored();
    lastHoldMillis = heldSinceMillis == 0 ? 0 : context.now() - heldSinceMillis;
    context.metrics().releasedAfterSwitchover(heldSinceMillis == 0 ? -1 : lastHoldMillis);
    heldSinceMillis = 0;
    if (session.phase() == Phase.HELD) {
      session.becomeIdle();
      session.drainQueue();
    }
  }


  /**
   * Leaves the old backend for the node's current target. The old primary still answers here, so
   * an open transaction is rolled back on it and its temporary tables are read, to be recreated on
   * the new connection; if that read fails, the tables are reported lost as after any loss.
   */
  void migrate() {
    migrate(null);
  }

  /**
   * As {@link #migrate()}, for a session whose command in flight was lost with its connection and
   * not yet sent again: {@code resend} goes to the new primary once the session is rebuilt there
   * (and its transaction carried), so it never runs on a server that is no longer the primary.
   */
  void migrate(Buffer resend) {
    movePending = false;
    BackendConnection old = session.backend();
    boolean wasInTransaction = session.inTransaction();
    // issue 11: a transaction the journal can replay goes along (rolled back here, replayed there)
    TransactionCarry.Pending carry = wasInTransaction && parts.recorder().replayable()
        ? new TransactionCarry.Pending(parts.recorder().onBackendLost(), old) : null;
    boolean transactionLost = wasInTransaction && carry == null;
    if (transactionLost) {
      context.metrics().failedByLoss("transaction_lost_at_switchover");
      if (parts.recorder().refusal() != null) {
        context.metrics().transactions().refused(parts.recorder().refusal());
        session.recovery().lostBecause(parts.recorder().refusal().description());
      }
    }
    old.closeHandler(null);
    StagedBackend ready = staged;
    staged = null;
    state = state.unstaged();
    if (ready != null && ready.fits(parts.learner().state(), context.connector().target())) {
      if (!wasInTransaction && resend == null) {
        old.close();
        adopt(ready);
        return;
      } else if (carry != null && resend == null) {
        old.close(); // rolls the transaction back on the old primary; it is replayed on the staged connection
        context.metrics().staged();
        session.recovery().carryOnto(ready.recovered(), carry);
        return;
      }
    }
    context.metrics().migratedByReplay(wasInTransaction ? "in_transaction" : ready == null ? "not_staged" : "staged_unfit");
    if (ready != null) {
      ready.discard();
    }
    Set<String> tables = parts.learner().state().temporaryTables();
    int copyLimit = context.services().config().session().temporaryTableCopyLimit();
    if (tables.isEmpty() || copyLimit == 0) {
      old.close();
      session.recovery().rebuild(resend, transactionLost, null, carry);
      return;
    }
    session.phase(Phase.RECONNECTING);
    long bound = context.vertx().setTimer(context.services().config().session().holdWindow().toMillis(),
        id -> old.close());
    TemporaryTableCopy.read(old, context.deprecateEof(), tables, wasInTransaction, copyLimit).onComplete(read -> {
      context.vertx().cancelTimer(bound);
      old.close();
      if (session.phase() == Phase.CLOSED) {
        return;
      }
      if (read.failed()) {
        log.info("session {}: temporary tables not copied: {}", context.id(), read.cause().getMessage());
        session.recovery().rebuild(resend, transactionLost, null, carry);
        return;
      }
      SessionState current = parts.learner().state();
      for (String gone : tables) {
        if (!read.result().tables().contains(gone)) {
          current = current.withTemporaryTable(gone, false);
        }
      }
      parts.learner().state(current);
      session.recovery().rebuild(resend, transactionLost, read.result(), carry);
    });
  }

  /** Moves the session onto its staged connection: already logged in, its state already replayed. */
  private void adopt(StagedBackend ready) {
    session.useBackend(ready.recovered().backend(), ready.recovered().statementIds());
    context.metrics().staged();
    log.debug("session {}: switched to staged backend thread {}", context.id(), ready.recovered().backend().threadId());
    if (session.phase() != Phase.HELD) {
      session.becomeIdle();
      session.drainQueue();
    }
  }
}
