package dev.tether.proxy.transaction;

import dev.tether.proxy.protocol.Command;
import dev.tether.proxy.protocol.Packets;
import dev.tether.proxy.protocol.ServerStatus;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One session's record of its open transaction: every statement as sent and a digest of what the
 * client received for it, so that {@link TransactionReplay} can run it again on a new backend and
 * prove the result is the same. Bounded by bytes and statements; past a bound, or at a statement
 * that cannot be replayed faithfully ({@link StatementCheck}), it drops what it holds and keeps
 * only the reason.
 *
 * <p>Costs nothing outside transactions: a session in autocommit mode pays one flag test per
 * command and, for a query, a comparison of its first word with BEGIN and START; a session with
 * autocommit off records each statement speculatively, since any of them may open a transaction.
 *
 * <p>Confined to the session's event loop. The session calls, in this order per command:
 * {@link #onCommandSent} (every frame, client statement ids, before any id rewrite),
 * {@link #pendingMarker} (right after, when the commit marker is on), {@link #onResponseFrame}
 * for each response frame, {@link #onResponseEnd} when the response is complete; and
 * {@link #onBackendLost} when the connection dies ({@link TransactionLoss} says what then).
 */
public final class TransactionJournal {
  // immutable after construction
  private final SessionView session;
  private final long maxBytes;
  private final int maxStatements;
  private final boolean markerEnabled;

  // confined to the session's event loop
  private JournalState state = JournalState.IDLE;
  private NotReplayable refusal;
  private final List<JournalEntry> entries = new ArrayList<>();
  private long bytes;
  private TransactionCharacteristics characteristics;
  private long lastInsertIdAtStart;
  private boolean readsLastInsertId;
  private final PreparedUse prepared = new PreparedUse();
  private final ResponseDigest digest = new ResponseDigest();

  // the command in flight
  /** Its payload so far (frames of a command of 16 MiB or more are joined), or null when not recorded. */
  private Buffer current;
  private long currentId = -1;
  private byte[] currentTypes;
  private boolean continuing;
  /** The command may open a transaction: kept only if its response leaves one open. */
  private boolean speculative;
  private Pending pending = Pending.NONE;
  private CommitMarker.Token marker;
  /** The command in flight is the BEGIN / START TRANSACTION that opens the transaction. */
  private boolean beginInFlight;

  /** What the command in flight is, as far as loss is concerned. */
  private enum Pending { NONE, RECORDED, COMMIT, ROLLBACK, OTHER }

  /** Bounds from proxy.transactions (maxBytes, maxStatements); {@code markerEnabled}: commitMarker. */
  public TransactionJournal(SessionView session, long maxBytes, int maxStatements, boolean markerEnabled) {
    this.session = session;
    this.maxBytes = maxBytes;
    this.maxStatements = maxStatements;
    this.markerEnabled = markerEnabled;
  }

  /**
   * A frame of a client command about to be forwarded, as the client sent it; {@code statusBefore}
   * is the status of the last response (the tracker's status flags).
   */
  public void onCommandSent(Buffer payload, int statusBefore) {
    if (continuing) {
      if (current != null) {
        current.appendBuffer(payload);
        bytes += payload.length();
        if (bytes > maxBytes) {
          refuseCurrent(NotReplayable.TOO_MANY_BYTES); // stop copying a large command at once
        }
      }
      continuing = payload.length() == Packets.MAX_FRAME_PAYLOAD;
      if (!continuing && current != null) {
        classify(current, statusBefore);
      }
      return;
    }
    pending = Pending.OTHER;
    beginInFlight = false;
    boolean open = (statusBefore & ServerStatus.IN_TRANS) != 0;
    NotReplayable longData = prepared.noteLongData(payload, state == JournalState.RECORDING);
    if (longData != null) {
      refuse(longData);
    }
    if (state == JournalState.IDLE) {
      if (open) {
        refuse(NotReplayable.STARTED_UNSEEN);
        return;
      }
      if ((statusBefore & ServerStatus.AUTOCOMMIT) != 0 && !StatementCheck.mayBegin(payload, session.backslashEscapes())
          && !StatementCheck.executesBegin(payload, session)) {
        return; // the common case: no copy, no scan
      }
      speculative = true;
      characteristics = session.nextTransaction();
      lastInsertIdAtStart = session.lastInsertId();
    } else if (state == JournalState.REFUSED) {
      return;
    }
    continuing = payload.length() == Packets.MAX_FRAME_PAYLOAD;
    current = payload.copy();
    bytes += payload.length();
    if (!continuing) {
      classify(current, statusBefore);
    }
  }

  /** Decides what the complete command in {@link #current} is: recorded, ignored, or a refusal. */
  private void classify(Buffer payload, int statusBefore) {
    int command = payload.getUnsignedByte(0);
    long id = payload.length() >= 5 ? payload.getUnsignedIntLE(1) : -1;
    currentId = -1;
    currentTypes = null;
    switch (command) {
      case Command.COM_QUERY -> statement(StatementCheck.query(payload, session.backslashEscapes()), statusBefore);
      case Command.COM_STMT_EXECUTE -> {
        String sql = session.preparedSql(id);
        if (sql == null) {
          refuseCurrent(NotReplayable.UNSUPPORTED);
          return;
        }
        currentId = id;
        currentTypes = prepared.typesToInject(payload, id, session);
        statement(prepared.verdict(id, sql, session.backslashEscapes()), statusBefore);
      }
      case Command.COM_STMT_FETCH, Command.COM_STMT_RESET, Command.COM_STMT_SEND_LONG_DATA -> {
        currentId = id;
        record();
      }
      case Command.COM_STMT_CLOSE -> {
        if (prepared.wasExecuted(id)) {
          refuseCurrent(NotReplayable.STATEMENT_CLOSED);
        } else {
          ignore();
        }
      }
      // no effect on data; their state is the session's to rebuild
      case Command.COM_STMT_PREPARE, Command.COM_PING, Command.COM_STATISTICS, Command.COM_FIELD_LIST,
           Command.COM_PROCESS_INFO, Command.COM_QUIT -> ignore();
      case Command.COM_INIT_DB, Command.COM_SET_OPTION -> refuseCurrent(NotReplayable.SESSION_STATE_CHANGED);
      default -> refuseCurrent(NotReplayable.UNSUPPORTED);
    }
  }

  private void statement(StatementCheck.Verdict verdict, int statusBefore) {
    boolean mayRecord = switch (verdict.leading()) { // COMMIT and ROLLBACK are not entries
      case COMMIT -> {
        pending = Pending.COMMIT;
        dropCurrent();
        if (markerEnabled && state == JournalState.RECORDING && (statusBefore & ServerStatus.IN_TRANS_READONLY) == 0) {
          marker = CommitMarker.Token.fresh();
        }
        yield false;
      }
      case ROLLBACK -> {
        pending = Pending.ROLLBACK;
        dropCurrent();
        yield false;
      }
      case BEGIN -> {
        if (!speculative) {
          refuseCurrent(NotReplayable.IMPLICIT_COMMIT); // a BEGIN inside a transaction commits it
          yield false;
        }
        beginInFlight = verdict.refusal() == null;
        yield true;
      }
      case OTHER -> true;
    };
    if (!mayRecord) {
      return;
    }
    if (verdict.refusal() != null) {
      refuseCurrent(verdict.refusal());
      return;
    }
    readsLastInsertId |= verdict.readsLastInsertId();
    record();
  }

  private void record() {
    if (entries.size() + 1 > maxStatements) {
      refuseCurrent(NotReplayable.TOO_MANY_STATEMENTS);
    } else if (bytes > maxBytes) {
      refuseCurrent(NotReplayable.TOO_MANY_BYTES);
    } else {
      pending = Pending.RECORDED;
      digest.reset();
      if (current.getUnsignedByte(0) == Command.COM_STMT_SEND_LONG_DATA) {
        finishEntry(false); // no response
      }
    }
  }

  /** The commit marker to pipeline just before the COMMIT being forwarded, or null (marker off, not replayable, read only). */
  public Buffer pendingMarker() {
    return pending == Pending.COMMIT && marker != null ? CommitMarker.insert(marker) : null;
  }

  /** The response to the marker the session pipelined (its OK or ERR, which the client never sees). */
  public void onMarkerResponse(Buffer payload) {
    if (marker != null) {
      marker = marker.answered(payload.length() > 0 && payload.getUnsignedByte(0) == Packets.OK);
    }
  }

  /** A response frame as the backend sent it (before any rewrite for the client), with its tracker flags. */
  public void onResponseFrame(Buffer payload, int trackerFlags) {
    if (pending == Pending.RECORDED) {
      digest.update(payload, trackerFlags);
    }
  }

  /** The response is complete; {@code statusAfter} is the tracker's status flags now. */
  public void onResponseEnd(int statusAfter) {
    if (state == JournalState.IDLE && !speculative) {
      return;
    }
    boolean rolledBack = pending == Pending.RECORDED && digest.errorCode() == 1213; // a deadlock ends it; the ERR has no status
    if (pending == Pending.RECORDED && current != null) {
      if (digest.sessionStateChanged()) {
        refuse(NotReplayable.SESSION_STATE_CHANGED);
      } else {
        finishEntry(true);
      }
    }
    boolean ended = pending == Pending.COMMIT || pending == Pending.ROLLBACK;
    pending = Pending.NONE;
    if (ended) {
      reset(); // whatever follows (COMMIT AND CHAIN, an ERR with stale flags) is not this transaction
      if ((statusAfter & ServerStatus.IN_TRANS) != 0) {
        refuse(NotReplayable.STARTED_UNSEEN);
      }
    } else if (speculative) {
      speculative = false;
      if ((statusAfter & ServerStatus.IN_TRANS) != 0 && !rolledBack) {
        if (state == JournalState.IDLE) {
          state = JournalState.RECORDING;
        }
      } else {
        reset();
      }
    } else if ((statusAfter & ServerStatus.IN_TRANS) == 0 || rolledBack) {
      reset(); // committed, rolled back, or ended implicitly
    }
  }

  private void finishEntry(boolean expectsResponse) {
    entries.add(new JournalEntry(current, currentId, currentTypes, expectsResponse,
        expectsResponse ? digest.value() : 0));
    if (currentId >= 0) {
      prepared.executed(currentId);
    }
    current = null;
    if (!expectsResponse) {
      pending = Pending.NONE;
    }
  }

  /**
   * The backend connection died. Says what the session must do with the transaction, and forgets
   * the command in flight (the caller re-sends it after a replay, or answers it).
   */
  public TransactionLoss onBackendLost() {
    Pending inFlight = pending;
    boolean responseStarted = inFlight == Pending.RECORDED && digest.packets() > 0;
    if (current != null) {
      bytes -= current.length();
    }
    dropCurrent();
    pending = Pending.NONE;
    continuing = false;
    if (speculative) {
      boolean begin = beginInFlight && inFlight == Pending.RECORDED;
      speculative = false;
      reset(); // the command that would have opened it was in flight: the session's retry rule decides
      return new TransactionLoss(begin ? TransactionLoss.Kind.BEGIN_IN_FLIGHT : TransactionLoss.Kind.NO_TRANSACTION,
          null, null);
    }
    if (state == JournalState.IDLE) {
      return new TransactionLoss(TransactionLoss.Kind.NO_TRANSACTION, null, null);
    }
    if (inFlight == Pending.ROLLBACK) {
      reset();
      return new TransactionLoss(TransactionLoss.Kind.ROLLED_BACK, null, null);
    }
    if (state == JournalState.REFUSED) {
      return new TransactionLoss(TransactionLoss.Kind.REFUSED, refusal, null);
    }
    if (responseStarted) {
      refuse(NotReplayable.RESPONSE_INTERRUPTED);
      return new TransactionLoss(TransactionLoss.Kind.REFUSED, refusal, null);
    }
    if (inFlight == Pending.COMMIT && marker != null) {
      return new TransactionLoss(TransactionLoss.Kind.COMMIT_IN_FLIGHT, null, marker);
    }
    boolean readOnly = characteristics != null
        && characteristics.accessMode() == TransactionCharacteristics.AccessMode.READ_ONLY;
    return new TransactionLoss(inFlight == Pending.COMMIT && !readOnly ? TransactionLoss.Kind.COMMIT_IN_FLIGHT
        : TransactionLoss.Kind.REPLAY, null, null);
  }

  private void dropCurrent() {
    current = null;
    currentId = -1;
    currentTypes = null;
  }

  private void ignore() {
    pending = Pending.OTHER;
    if (current != null) {
      bytes -= current.length();
    }
    dropCurrent();
  }

  private void refuseCurrent(NotReplayable reason) {
    dropCurrent();
    pending = Pending.OTHER;
    refuse(reason);
  }

  private void refuse(NotReplayable reason) {
    if (state != JournalState.REFUSED) {
      refusal = reason;
    }
    state = JournalState.REFUSED;
    release();
  }

  private void release() {
    entries.clear();
    prepared.endTransaction();
    dropCurrent();
    bytes = 0;
    marker = null;
  }

  /** The transaction ended (or the session was reset): everything held is released. */
  public void reset() {
    state = JournalState.IDLE;
    refusal = null;
    release();
    characteristics = null;
    lastInsertIdAtStart = 0;
    readsLastInsertId = false;
    speculative = false;
    pending = Pending.NONE;
  }

  /** Whether the command being recorded continues in further frames (a command of 16 MiB or more). */
  public boolean midCommand() {
    return continuing;
  }

  public JournalState state() {
    return state;
  }

  /** Why the open transaction cannot be replayed, or null. */
  public NotReplayable refusal() {
    return refusal;
  }

  /** The recorded statements, in order (empty unless {@link State#RECORDING}). */
  public List<JournalEntry> entries() {
    return Collections.unmodifiableList(entries);
  }

  /** Bytes of statements held. */
  public long bytes() {
    return bytes;
  }

  /** The one-shot characteristics the transaction began with, or null. */
  public TransactionCharacteristics characteristics() {
    return characteristics;
  }

  /** Whether a statement read LAST_INSERT_ID(): replay then sets the value the transaction began with. */
  public boolean readsLastInsertId() {
    return readsLastInsertId;
  }

  public long lastInsertIdAtStart() {
    return lastInsertIdAtStart;
  }
}
