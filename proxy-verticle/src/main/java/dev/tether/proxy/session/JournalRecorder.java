package dev.tether.proxy.session;

import dev.tether.config.TransactionConfig;
import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.protocol.CommandView;
import dev.tether.proxy.protocol.ErrPacket;
import dev.tether.proxy.protocol.Packets;
import dev.tether.proxy.protocol.ResponseTracker;
import dev.tether.proxy.transaction.FaultInjection;
import dev.tether.proxy.transaction.JournalState;
import dev.tether.proxy.transaction.NotReplayable;
import dev.tether.proxy.transaction.SessionView;
import dev.tether.proxy.transaction.TransactionCharacteristics;
import dev.tether.proxy.transaction.TransactionJournal;
import dev.tether.proxy.transaction.TransactionLoss;
import io.vertx.core.buffer.Buffer;

/**
 * The session's {@link TransactionRecorder} for issue 11: records the open transaction in a
 * {@link TransactionJournal}, answers the journal's questions about the session
 * ({@link SessionView}: the learner's state, the statement map, the tracker's flags), writes a
 * COMMIT with its commit marker through the configured {@link FaultInjection}, and takes the
 * marker's answer away from the client. Confined to the session's event loop.
 */
final class JournalRecorder implements TransactionRecorder, SessionView {
  private static final int NO_BACKSLASH_ESCAPES = 0x0200;
  private static final int ER_LOCK_DEADLOCK = 1213;

  // immutable after construction
  /** Off for a session that is not persistent, or with proxy.transactions.maxStatements 0: nothing is recorded. */
  private final boolean enabled;
  private final TransactionJournal journal;
  private final FaultInjection fault;
  private final StateLearner learner;
  private final StatementIds statementIds;
  private final ResponseTracker tracker;

  // confined to the event loop
  /**
   * The COMMIT held back until its marker's answer (null: none). Not pipelined: MariaDB holds a
   * pipelined answer back while the next command runs, so a COMMIT waiting (for a semi-synchronous
   * replica, say) would leave the marker unanswered, and an unanswered marker proves nothing.
   */
  private Buffer commitAfterMarker;
  /**
   * The marker's INSERT failed with a deadlock, which rolled the whole transaction back: the
   * pipelined COMMIT then commits nothing, and its OK must not reach the client as if it had.
   */
  private ErrPacket rolledBackByMarker;
  /** The fault hook as it applies to the COMMIT in flight (NONE for a re-sent one). */
  private FaultInjection commitFault = FaultInjection.NONE;
  /** The fault hook closed the connection on purpose: its loss is one to heal, not a KILL. */
  private BackendConnection droppedByFault;
  /** The command now being forwarded is a re-send after a loss: the fault hook lets it through. */
  private boolean resending;

  JournalRecorder(TransactionConfig config, boolean persistent, StateLearner learner, StatementIds statementIds,
                  ResponseTracker tracker) {
    this.enabled = persistent && config.maxStatements() > 0;
    this.journal = new TransactionJournal(this, config.maxBytes(), config.maxStatements(),
        enabled && config.commitMarker());
    this.fault = FaultInjection.configured(config);
    this.learner = learner;
    this.statementIds = statementIds;
    this.tracker = tracker;
  }

  // ---- TransactionRecorder --------------------------------------------------------------------

  @Override
  public void onCommand(CommandView command, Buffer frame, int statusBefore) {
    if (!enabled) {
      return;
    }
    Buffer payload = frame.slice(Packets.HEADER_SIZE, frame.length());
    if (command.statementId() == BackendStatements.LAST_PREPARED) {
      long clientId = statementIds.clientId(command); // MariaDB's "the statement just prepared": record its real id
      if (clientId != BackendStatements.LAST_PREPARED && payload.length() >= 5) {
        payload = payload.copy();
        payload.setUnsignedIntLE(1, clientId);
      }
    }
    journal.onCommandSent(payload, statusBefore);
  }

  /** A further frame of a command of 16 MiB or more. */
  void onContinuation(Buffer payload, int statusBefore) {
    if (journal.midCommand()) {
      journal.onCommandSent(payload, statusBefore);
    }
  }

  @Override
  public void onResponseFrame(int flags, Buffer payload) {
    if (enabled) {
      journal.onResponseFrame(payload, flags);
    }
  }

  @Override
  public void onComplete(int statusAfter) {
    if (enabled) {
      journal.onResponseEnd(statusAfter);
    }
  }

  @Override
  public boolean replayable() {
    return journal.state() == JournalState.RECORDING;
  }

  // ---- the commit marker and the fault hook ---------------------------------------------------

  /**
   * The COMMIT just recorded goes to the backend now as {@code commitFrame}: returns false when it
   * carries no marker (the caller writes it as any command), or writes the marker and keeps the
   * COMMIT for when the marker is answered ({@link #takesMarkerAnswer}), and returns true. Whatever
   * the session had gathered for the backend must have been written before.
   */
  /** Whether the COMMIT being forwarded carries a commit marker. */
  boolean markerDue() {
    return enabled && journal.pendingMarker() != null;
  }

  boolean writeCommit(BackendConnection backend, Buffer commitFrame) {
    Buffer marker = journal.pendingMarker();
    if (marker == null) {
      return false;
    }
    commitAfterMarker = commitFrame;
    commitFault = resending ? FaultInjection.NONE : fault;
    backend.write(Buffer.buffer(marker.length() + Packets.HEADER_SIZE).appendMediumLE(marker.length())
        .appendByte((byte) 0).appendBuffer(marker));
    return true;
  }

  /**
   * A backend frame: true when it is the marker's answer (an OK or an ERR, one packet), which the
   * journal keeps and the client never sees; the COMMIT goes now, through the fault hook.
   */
  boolean takesMarkerAnswer(Buffer payload, BackendConnection backend) {
    Buffer commit = commitAfterMarker;
    if (commit == null) {
      return false;
    }
    commitAfterMarker = null;
    journal.onMarkerResponse(payload);
    if (payload.length() >= 3 && payload.getUnsignedByte(0) == Packets.ERR
        && payload.getUnsignedShortLE(1) == ER_LOCK_DEADLOCK) {
      rolledBackByMarker = ErrPacket.decode(payload);
    }
    commitFault.forward(backend, null, commit); // drop_instead_of_commit: closed, the COMMIT never written
    if (backend.isClosed()) {
      droppedByFault = backend;
    }
    return true;
  }

  /** The COMMIT's OK arrived: the error the client gets instead when the marker's deadlock ended the transaction, or null. */
  ErrPacket takeRolledBackByMarker() {
    ErrPacket error = rolledBackByMarker;
    rolledBackByMarker = null;
    return error;
  }

  /** Whether the fault hook closed {@code connection} on purpose (its loss heals like a network's). */
  boolean droppedByFault(BackendConnection connection) {
    return droppedByFault == connection;
  }

  /** The command about to be forwarded is a re-send after a loss (true), or the client's own (false). */
  void resending(boolean value) {
    resending = value;
  }

  // ---- the loss ------------------------------------------------------------------------------

  /** The backend connection was lost: what becomes of the transaction (the command in flight is forgotten). */
  TransactionLoss onBackendLost() {
    boolean commitUnsent = commitAfterMarker != null;
    commitAfterMarker = null;
    rolledBackByMarker = null;
    TransactionLoss loss = journal.onBackendLost();
    if (commitUnsent && loss.kind() == TransactionLoss.Kind.COMMIT_IN_FLIGHT) {
      return new TransactionLoss(TransactionLoss.Kind.REPLAY, null, null); // not sent: it cannot have committed
    }
    return loss;
  }

  /** The session was reset (COM_RESET_CONNECTION, COM_CHANGE_USER) or the lost COMMIT is settled. */
  void reset() {
    commitAfterMarker = null;
    journal.reset();
  }

  TransactionJournal journal() {
    return journal;
  }

  /** Why the open transaction is not replayable (a metric label), or null when it is; for GET /sessions. */
  String notReplayableBecause() {
    if (!enabled) {
      return "replay_off";
    }
    return switch (journal.state()) {
      case RECORDING -> null;
      case REFUSED -> journal.refusal().label();
      case IDLE -> "unseen"; // open, but the journal has not seen it begin (its first statement is still running)
    };
  }

  NotReplayable refusal() {
    return journal.refusal();
  }

  // ---- SessionView ---------------------------------------------------------------------------

  @Override
  public boolean backslashEscapes() {
    return (tracker.statusFlags() & NO_BACKSLASH_ESCAPES) == 0;
  }

  @Override
  public TransactionCharacteristics nextTransaction() {
    return learner.state().nextTransaction();
  }

  @Override
  public long lastInsertId() {
    return learner.state().lastInsertId();
  }

  @Override
  public String preparedSql(long clientId) {
    SessionState.PreparedStatement statement = learner.state().preparedStatements().get(clientId);
    return statement == null ? null : statement.sql();
  }

  @Override
  public int paramCount(long clientId) {
    SessionState.PreparedStatement statement = learner.state().preparedStatements().get(clientId);
    return statement == null ? 0 : statement.paramCount();
  }

  @Override
  public byte[] lastParameterTypes(long clientId) {
    return statementIds.statements().lastTypes(clientId);
  }
}
