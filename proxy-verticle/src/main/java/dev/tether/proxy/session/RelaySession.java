package dev.tether.proxy.session;

import dev.tether.proxy.NodeServices;
import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.backend.BackendConnector;
import dev.tether.proxy.backend.BackendTarget;
import dev.tether.proxy.frontend.AuthExchange;
import dev.tether.proxy.frontend.ClientConnection;
import dev.tether.proxy.frontend.ClientLogin;
import dev.tether.proxy.protocol.Capabilities;
import dev.tether.proxy.protocol.ChangeUserRequest;
import dev.tether.proxy.protocol.CommandCheck;
import dev.tether.proxy.protocol.CommandView;
import dev.tether.proxy.protocol.Keyword;
import dev.tether.proxy.protocol.OkHeader;
import dev.tether.proxy.protocol.ServerError;
import dev.tether.proxy.protocol.Command;
import dev.tether.proxy.protocol.ErrPacket;
import dev.tether.proxy.protocol.ErrorCode;
import dev.tether.proxy.protocol.FrameSink;
import dev.tether.proxy.protocol.OkPacket;
import dev.tether.proxy.protocol.Packets;
import dev.tether.proxy.protocol.ResponseTracker;
import dev.tether.proxy.protocol.ServerStatus;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client session after login. Relays each command to the backend and its response back as
 * unparsed slices, knowing at every moment whether a command is in flight and whether a
 * transaction is open, while a {@link StateLearner} keeps the session's state. When the backend
 * connection is lost the session is held, reconnected and rebuilt ({@link SessionRecovery}); what
 * was in flight is re-sent or failed as {@link RetryPolicy} decides, and the client keeps its
 * connection.
 *
 * <p>One command is in flight at a time; pipelined commands queue (reads paused past a bound).
 * Backpressure both ways. Confined to the client's event loop, with the backend on the same loop.
 */
public final class RelaySession implements ClientConnection.Owner {
  private static final Logger log = LoggerFactory.getLogger(RelaySession.class);
  /** Bytes of pipelined commands held before the client's reads are paused. */
  private static final int QUEUE_PAUSE_BYTES = 1 << 20;
  /** Commands up to this size are kept until their response starts, so they can be re-sent. */
  private static final int RETRY_KEEP_BYTES = 64 * 1024;

  enum Phase {
    /** Logged in; setting up session tracking before the client's final OK. */
    STARTING,
    /** Between commands: nothing in flight. */
    IDLE,
    /** A command larger than one frame is still arriving from the client. */
    RECEIVING,
    /** The command is at the backend; its response is being relayed. */
    AWAITING,
    /** LOCAL INFILE: the client's file frames go to the backend until the empty packet. */
    UPLOADING,
    /** Reading user variables back from the backend after a statement changed them. */
    REFRESHING,
    /** Switchover: the node is blocked; the client's next command waits here until restore. */
    HELD,
    /** The backend connection is gone: reconnecting and replaying within the hold window. */
    RECONNECTING,
    /** A KILL named a Tether session: waiting to learn where that session's backend thread is. */
    KILL_LOOKUP,
    /** COM_CHANGE_USER: waiting for the client's next authentication packet. */
    CHANGE_USER_AUTH,
    /** COM_CHANGE_USER: logging the new user into a fresh backend connection. */
    CHANGE_USER_CONNECTING,
    /** The session is over. */
    CLOSED
  }

  private record QueuedFrame(int sequenceId, Buffer payload, Buffer frame) {}

  // immutable after construction
  private final Vertx vertx;
  private final NodeServices services;
  private final ClientConnection client;
  private final BackendConnector connector;
  private final boolean clientTracksState;
  private final boolean deprecateEof;
  /** Off: relay only; no state tracking, and a lost backend ends the session. */
  private final boolean persistent;
  private final long maxAllowedPacket;
  private final long idleTimeoutMillis;
  private final long responseTimeoutMillis;
  private final BackendSink backendSink = new BackendSink();
  private final Outbox toClient = new Outbox();
  private final Outbox toBackend = new Outbox();
  private final ArrayDeque<QueuedFrame> queued = new ArrayDeque<>();
  private final StatementMap statements = new StatementMap();
  private final StatementIds statementIds = new StatementIds(statements);
  private final ResponseTracker tracker;
  private final StateLearner learner;
  private final IdleLimit idleLimit;

  // confined to the event loop
  private ClientLogin login;
  private BackendConnection backend;
  private Phase phase = Phase.STARTING;
  private int commandSequence;
  private long commandBytes;
  private int statusBeforeCommand;
  private Buffer retryFrame;
  private CommandView commandView;
  private boolean responseStarted;
  private int lastSequenceToClient;
  private boolean completedInChunk;
  private int lastWarnings;
  private ErrPacket killedBy;
  /** A KILL QUERY of this session was routed here: until then, its 1317 waits for the killer's OK. */
  private long killQueryUntilMillis;
  /** The command in flight is a routed KILL: the backend thread it names, and the session id the client wrote. */
  private long killThread;
  private long killNamed;
  private ErrPacket notice;
  private long idleSinceMillis = System.currentTimeMillis();
  private long lastBackendMillis = System.currentTimeMillis();
  private int queuedBytes;
  private AuthExchange changeUser;
  private ChangeUserRequest changeUserRequest;
  private int failedChangeUsers;
  /** Switchover: hold new work outside transactions. */
  private boolean blocked;
  /** Switchover: when this BLOCK first held a command (0: none yet), and how long the last BLOCK held one. */
  private long heldSinceMillis;
  private long lastHoldMillis;
  /** When the command in flight was sent (System.nanoTime), for the backend response histogram. */
  private long commandSentNanos;
  /** Switchover: move to the node's new target as soon as the command in flight ends. */
  private boolean switchPending;
  /** The epoch of the target the current backend connection was made to. */
  private long backendEpoch;
  /** Switchover: the connection prepared on the next primary during BLOCK, and whether one is being made. */
  private StagedBackend staged;
  private boolean staging;

  public RelaySession(Vertx vertx, NodeServices services, ClientConnection client, BackendConnector connector,
                      ClientLogin login, BackendConnection backend) {
    this.vertx = vertx;
    this.services = services;
    this.client = client;
    this.connector = connector;
    this.login = login;
    this.clientTracksState = Capabilities.has(login.capabilities(), Capabilities.CLIENT_SESSION_TRACK);
    this.deprecateEof = Capabilities.has(login.capabilities(), Capabilities.CLIENT_DEPRECATE_EOF);
    this.persistent = services.config().session().persistent();
    this.maxAllowedPacket = services.config().proxy().maxAllowedPacket();
    this.idleTimeoutMillis = services.config().proxy().idleTimeout().toMillis();
    this.responseTimeoutMillis = connector.config().responseTimeout().toMillis();
    this.tracker = new ResponseTracker(deprecateEof);
    this.learner = new StateLearner(SessionState.initial(login.database()), statementIds);
    this.idleLimit = new IdleLimit(vertx, () -> phase == Phase.IDLE, () -> phase == Phase.CLOSED,
        client::lastActivityMillis, this::expireIdle);
    this.backend = backend;
    this.backendEpoch = backend.target().epoch();
  }

  // ---- switchover --------------------------------------------------------------------------

  /** BLOCK: from now on the session's next command outside a transaction waits for {@link #restore}. */
  public void block() {
    blocked = true;
    lastHoldMillis = 0;
  }

  /** How long a command of this session waited in the last switchover (known once it is restored). */
  public long lastHoldMillis() {
    return lastHoldMillis;
  }

  /** True when nothing of this session is at the backend: no command in flight, no open transaction. */
  public boolean quiescent() {
    return phase == Phase.CLOSED || ((phase == Phase.IDLE || phase == Phase.HELD) && !inTransaction());
  }

  /** True while the session is being rebuilt on a new backend connection, or is about to be. */
  public boolean migrating() {
    return phase == Phase.RECONNECTING || switchPending;
  }

  /**
   * SWITCH: moves the session to the node's current target, between commands: now if it is
   * between commands, otherwise as soon as the command in flight ends. A transaction still open
   * here (the block window has passed) is rolled back with the old connection and reported.
   */
  public void switchBackend() {
    if (phase == Phase.CLOSED || backendEpoch == connector.target().epoch()) {
      return;
    }
    switch (phase) {
      case IDLE, HELD -> {
        if (staging) {
          switchPending = true; // its connection to the new primary is on its way: one per session there
        } else {
          migrate();
        }
      }
      default -> switchPending = true;
    }
  }

  /**
   * BLOCK naming the next primary: a quiescent session opens its connection there now and replays
   * its state, so SWITCH only swaps connections. One attempt, no retries: a session that cannot be
   * staged (an open transaction, temporary tables, a pending read-back) moves the ordinary way.
   */
  public void stage(BackendTarget next) {
    SessionState state = learner.state();
    if (!persistent || !blocked || staged != null || staging || (phase != Phase.IDLE && phase != Phase.HELD)
        || inTransaction() || learner.refreshWanted() || !state.temporaryTables().isEmpty()
        || RebuildCheck.refusal(state, learner.lostState(), services.config().session()) != null
        || backendEpoch >= next.epoch()) {
      return;
    }
    staging = true;
    SessionRecovery.reconnect(vertx, connector, next, login, state, null, deprecateEof, System.currentTimeMillis(),
        client.connectionId()).onComplete(done -> {
          staging = false;
          settleStaging(done, state, next);
          if (switchPending && (phase == Phase.IDLE || phase == Phase.HELD)) {
            migrate(); // SWITCH came while the connection was being made
          }
        });
  }

  /** Keeps a staged connection that is still of use, and closes one that is not. */
  private void settleStaging(io.vertx.core.AsyncResult<SessionRecovery.Recovered> done, SessionState state,
                             BackendTarget next) {
    if (done.failed()) {
      log.debug("session {}: not staged on {}: {}", client.connectionId(), next.address(), done.cause().getMessage());
      return;
    }
    BackendConnection connection = done.result().backend();
    StagedBackend ready = new StagedBackend(done.result(), state, next);
    if (phase == Phase.CLOSED || !blocked || learner.state() != state || backendEpoch >= next.epoch()) {
      ready.discard(); // the moment passed while it was being made
      return;
    }
    staged = ready;
    connection.closeHandler(closed -> {
      if (staged == ready) {
        staged = null;
      }
    });
  }

  private void discardStaged() {
    if (staged != null) {
      staged.discard();
      staged = null;
    }
  }

  /** RESTORE: held commands go on, to whichever backend the session now has. */
  public void restore() {
    discardStaged();
    blocked = false;
    lastHoldMillis = heldSinceMillis == 0 ? 0 : System.currentTimeMillis() - heldSinceMillis;
    services.metrics().releasedAfterSwitchover(heldSinceMillis == 0 ? -1 : lastHoldMillis);
    heldSinceMillis = 0;
    if (phase == Phase.HELD) {
      becomeIdle();
      drainQueue();
    }
  }

  /**
   * Leaves the old backend for the node's current target. The old primary still answers here, so
   * an open transaction is rolled back on it and its temporary tables are read, to be recreated on
   * the new connection; if that read fails, the tables are reported lost as after any loss.
   */
  private void migrate() {
    switchPending = false;
    boolean wasInTransaction = inTransaction();
    if (wasInTransaction) {
      services.metrics().failedByLoss("transaction_lost_at_switchover");
    }
    BackendConnection old = backend;
    old.closeHandler(null);
    StagedBackend ready = staged;
    staged = null;
    if (ready != null && !wasInTransaction && ready.fits(learner.state(), connector.target())) {
      old.close();
      adopt(ready);
      return;
    }
    services.metrics().migratedByReplay(wasInTransaction ? "in_transaction" : ready == null ? "not_staged" : "staged_unfit");
    if (ready != null) {
      ready.discard();
    }
    Set<String> tables = learner.state().temporaryTables();
    int copyLimit = services.config().session().temporaryTableCopyLimit();
    if (tables.isEmpty() || copyLimit == 0) {
      old.close();
      recover(null, wasInTransaction, null);
      return;
    }
    phase = Phase.RECONNECTING;
    long bound = vertx.setTimer(services.config().session().holdWindow().toMillis(), id -> old.close());
    TemporaryTableCopy.read(old, deprecateEof, tables, wasInTransaction, copyLimit).onComplete(read -> {
      vertx.cancelTimer(bound);
      old.close();
      if (phase == Phase.CLOSED) {
        return;
      }
      if (read.failed()) {
        log.info("session {}: temporary tables not copied: {}", client.connectionId(), read.cause().getMessage());
        recover(null, wasInTransaction, null);
        return;
      }
      SessionState state = learner.state();
      for (String gone : tables) {
        if (!read.result().tables().contains(gone)) {
          state = state.withTemporaryTable(gone, false);
        }
      }
      learner.state(state);
      recover(null, wasInTransaction, read.result());
    });
  }

  /** Moves the session onto its staged connection: already logged in, its state already replayed. */
  private void adopt(StagedBackend ready) {
    backend = ready.recovered().backend();
    backendEpoch = backend.target().epoch();
    listen();
    statements.remap(ready.recovered().statementIds());
    tracker.statusFlags(backend.statusFlags());
    services.metrics().staged();
    log.debug("session {}: switched to staged backend thread {}", client.connectionId(), backend.threadId());
    if (phase != Phase.HELD) {
      becomeIdle();
      drainQueue();
    }
  }

  /** Turns on session tracking on the backend, then answers the client's login with OK. */
  public void start(int okSequence) {
    client.owner(this);
    var tracking = persistent
        ? SessionReplayer.replay(backend, learner.state(), deprecateEof, client.connectionId())
            .compose(replayed -> idleLimit.readAtLogin(backend, deprecateEof))
        : io.vertx.core.Future.succeededFuture();
    tracking.onComplete(ready -> {
      if (phase == Phase.CLOSED) {
        return;
      }
      if (ready.failed()) {
        end(ErrPacket.from(ready.cause()), okSequence);
        return;
      }
      listen();
      client.write(OkPacket.of(backend.statusFlags()).encode(okSequence, clientTracksState));
      becomeIdle();
      idleLimit.responded(learner.state());
      client.resume(ClientConnection.PAUSED_BUSY);
      drainQueue();
    });
  }

  /** True when a command is in flight (from its first byte until its response ends). */
  public boolean commandInFlight() {
    return phase != Phase.IDLE;
  }

  /** True when the server said a transaction is open. */
  public boolean inTransaction() {
    return (tracker.statusFlags() & ServerStatus.IN_TRANS) != 0;
  }

  /** The session's state as the proxy knows it now. */
  public SessionState state() {
    return learner.state();
  }

  // ---- client side -------------------------------------------------------------------------

  @Override
  public void onFrame(int sequenceId, Buffer payload, Buffer frame) {
    try {
      onClientFrame(sequenceId, payload, frame);
    } catch (RuntimeException e) {
      failed("client frame", e);
    }
  }

  private void onClientFrame(int sequenceId, Buffer payload, Buffer frame) {
    switch (phase) {
      case IDLE -> startCommand(sequenceId, payload, frame);
      case RECEIVING -> {
        if (sequenceId != ((commandSequence + 1) & 0xFF)) {
          violation(ErrorCode.NET_PACKETS_OUT_OF_ORDER, "Got packets out of order", sequenceId);
          return;
        }
        forward(sequenceId, payload, frame);
      }
      case UPLOADING -> {
        toBackend.add(frame);
        lastSequenceToClient = sequenceId;
        if (tracker.onClientUploadFrame(payload)) {
          phase = Phase.AWAITING;
          lastBackendMillis = System.currentTimeMillis();
        }
      }
      case CHANGE_USER_AUTH -> onChangeUserOutcome(changeUser.onClientPacket(payload, sequenceId));
      case STARTING, AWAITING, REFRESHING, RECONNECTING, HELD, KILL_LOOKUP, CHANGE_USER_CONNECTING ->
          queue(sequenceId, payload, frame);
      case CLOSED -> { }
    }
  }

  @Override
  public void onChunkEnd() {
    flushToBackend();
  }

  @Override
  public void onClosed() {
    idleLimit.stop();
    discardStaged();
    if (phase != Phase.CLOSED) {
      if (phase == Phase.AWAITING || phase == Phase.UPLOADING) { // the server may run it long after the socket closes
        QueryCanceller.cancel(connector, login, backend, deprecateEof, services.metrics().registry());
      }
      phase = Phase.CLOSED;
      backend.close();
    }
  }

  @Override
  public void onTick(long nowMillis) {
    switch (phase) {
      case IDLE -> {
        if (nowMillis - idleSinceMillis > idleTimeoutMillis) {
          services.metrics().rejected("idle_timeout");
          end(ErrPacket.of(ErrorCode.CLIENT_INTERACTION_TIMEOUT,
              "The client was disconnected by the server because of inactivity."), 0);
        }
      }
      case AWAITING, REFRESHING, STARTING -> {
        if (nowMillis - lastBackendMillis > responseTimeoutMillis) {
          services.metrics().rejected("backend_response_timeout");
          end(ErrPacket.of(ErrorCode.BACKEND_UNAVAILABLE, "Tether: backend sent nothing for "
              + responseTimeoutMillis / 1000 + " s"), nextSequenceToClient());
        }
      }
      case RECEIVING, UPLOADING, CHANGE_USER_AUTH -> {
        if (nowMillis - client.lastActivityMillis() > responseTimeoutMillis) {
          end(ErrPacket.of(ErrorCode.NET_READ_INTERRUPTED, "Got timeout reading communication packets"),
              nextSequenceToClient());
        }
      }
      case RECONNECTING, HELD, KILL_LOOKUP, CHANGE_USER_CONNECTING, CLOSED -> { }
    }
  }

  private void startCommand(int sequenceId, Buffer payload, Buffer frame) {
    if (sequenceId != 0) {
      violation(ErrorCode.NET_PACKETS_OUT_OF_ORDER, "Got packets out of order", sequenceId);
      return;
    }
    if (payload.length() == 0) {
      client.sendError(ErrPacket.of(ErrorCode.UNKNOWN_COM_ERROR, "Unknown command"), 1);
      return;
    }
    CommandCheck.Malformed malformed = CommandCheck.check(payload, login.capabilities());
    if (malformed != null) { // answered as the server answers it; the session lives on
      services.metrics().protocolError();
      if (malformed.reply() != null) {
        client.sendError(malformed.reply(), 1);
      }
      return;
    }
    CommandView view = CommandView.read(payload, persistent);
    int command = view.command();
    switch (command) {
      case Command.COM_QUIT -> {
        discardStaged();
        phase = Phase.CLOSED;
        backend.write(frame);
        backend.close();
        client.close();
        return;
      }
      case Command.COM_CHANGE_USER -> {
        beginChangeUser(payload);
        return;
      }
      case Command.COM_BINLOG_DUMP, Command.COM_BINLOG_DUMP_GTID, Command.COM_REGISTER_SLAVE,
           Command.COM_TABLE_DUMP, Command.COM_CONNECT_OUT, Command.COM_DAEMON, Command.COM_CONNECT,
           Command.COM_DELAYED_INSERT, Command.COM_TIME -> {
        client.sendError(ErrPacket.of(ErrorCode.UNKNOWN_COM_ERROR,
            "Tether does not relay command 0x" + Integer.toHexString(command)), 1);
        return;
      }
      default -> { }
    }
    if (blocked && !inTransaction()) {
      if (heldSinceMillis == 0) {
        heldSinceMillis = System.currentTimeMillis();
        services.metrics().heldBySwitchover();
      }
      phase = Phase.HELD; // switchover: new work waits for RESTORE
      queued.addFirst(new QueuedFrame(sequenceId, payload, frame));
      queuedBytes += frame.length();
      return;
    }
    if (persistent && learner.refreshWanted() && !view.isDiagnostics()) {
      queued.addFirst(new QueuedFrame(sequenceId, payload, frame)); // read the variables back first
      queuedBytes += frame.length();
      startRefresh();
      return;
    }
    if (notice != null && payload.length() < Packets.MAX_FRAME_PAYLOAD) {
      answerWithNotice(view);
      return;
    }
    if (lostWithReconnection(view)) {
      return;
    }
    KillStatement kill = KillStatement.parse(payload);
    if (kill != null && ConnectionIds.isTether(kill.id())) {
      routeKill(kill, frame);
      return;
    }
    statusBeforeCommand = tracker.statusFlags();
    commandBytes = 0;
    killedBy = null;
    killThread = 0;
    if (persistent) {
      learner.onCommand(view, payload);
    }
    tracker.expectResponseTo(view);
    commandView = view;
    retryFrame = frame.length() <= RETRY_KEEP_BYTES ? frame : null;
    commandSentNanos = services.metrics().commandSent(command);
    forward(sequenceId, payload, statementIds.toBackend(view, payload, frame, learner.state()));
  }

  /** Sends one frame of the current command; the last frame puts the command in flight. */
  private void forward(int sequenceId, Buffer payload, Buffer frame) {
    commandBytes += payload.length();
    if (commandBytes > maxAllowedPacket) {
      violation(ErrorCode.NET_PACKET_TOO_LARGE, "Got a packet bigger than 'max_allowed_packet' bytes", sequenceId);
      return;
    }
    commandSequence = sequenceId;
    toBackend.add(frame);
    if (payload.length() == Packets.MAX_FRAME_PAYLOAD) {
      phase = Phase.RECEIVING;
      retryFrame = null;
      return;
    }
    if (tracker.inFlight()) {
      phase = Phase.AWAITING;
      responseStarted = false;
      lastBackendMillis = System.currentTimeMillis();
    } else {
      learner.onComplete();
      retryFrame = null;
      becomeIdle(); // COM_STMT_CLOSE, COM_STMT_SEND_LONG_DATA: no response
    }
  }

  /** Long data and open cursors do not survive a reconnection: their next use fails, once, clearly. */
  private boolean lostWithReconnection(CommandView view) {
    int command = view.command();
    if (command == Command.COM_STMT_EXECUTE && statements.takeLostLongData(statementIds.clientId(view))) {
      client.sendError(ErrPacket.of(ErrorCode.SESSION_STATE_LOST, "Tether: the long data sent for this statement was"
          + " lost when the database connection was re-established; send it again"), 1);
      return true;
    }
    if (command == Command.COM_STMT_FETCH && statements.takeLostCursor(statementIds.clientId(view))) {
      client.sendError(ErrPacket.of(ErrorCode.SESSION_STATE_LOST, "Tether: the open cursor of this statement was"
          + " lost when the database connection was re-established; execute the statement again"), 1);
      return true;
    }
    return false;
  }

  /** Delivers the error a reconnection left for the session's next statement (once). */
  private void answerWithNotice(CommandView view) {
    ErrPacket pending = notice;
    notice = null;
    boolean rollback = view.isQuery(Keyword.ROLLBACK);
    if (rollback && pending.errorCode() == ErrorCode.TRANSACTION_LOST.code()) {
      client.write(OkPacket.of(tracker.statusFlags()).encode(1, clientTracksState)); // already rolled back
    } else {
      client.sendError(pending, 1);
    }
  }

  private void queue(int sequenceId, Buffer payload, Buffer frame) {
    queued.add(new QueuedFrame(sequenceId, payload, frame));
    queuedBytes += frame.length();
    if (queuedBytes > QUEUE_PAUSE_BYTES) {
      client.pause(ClientConnection.PAUSED_QUEUE);
    }
  }

  /** Replays commands the client pipelined, as far as the session can take them now. */
  private void drainQueue() {
    while (!queued.isEmpty() && (phase == Phase.IDLE || phase == Phase.RECEIVING)) {
      QueuedFrame next = queued.poll();
      queuedBytes -= next.frame().length();
      onFrame(next.sequenceId(), next.payload(), next.frame());
    }
    if (queuedBytes <= QUEUE_PAUSE_BYTES) {
      client.resume(ClientConnection.PAUSED_QUEUE);
    }
    flushToBackend();
  }

  private void flushToBackend() {
    if (toBackend.isEmpty() || phase == Phase.CLOSED || phase == Phase.RECONNECTING) {
      return;
    }
    backend.write(toBackend.take());
    if (backend.writeQueueFull()) {
      client.pause(ClientConnection.PAUSED_BACKPRESSURE);
      BackendConnection paused = backend;
      paused.drainHandler(ignored -> {
        paused.drainHandler(null);
        client.resume(ClientConnection.PAUSED_BACKPRESSURE);
      });
    }
  }

  private void becomeIdle() {
    phase = Phase.IDLE;
    idleSinceMillis = System.currentTimeMillis();
  }

  // ---- backend side ------------------------------------------------------------------------

  /** Receives the backend's frames; a separate object so the two directions cannot be confused. */
  private final class BackendSink implements FrameSink {
    @Override
    public void onFrame(int sequenceId, Buffer payload, Buffer frame) {
      try {
        onBackendFrame(sequenceId, payload, frame);
      } catch (RuntimeException e) {
        failed("backend frame", e);
      }
    }

    private void onBackendFrame(int sequenceId, Buffer payload, Buffer frame) {
      if (phase != Phase.AWAITING && phase != Phase.UPLOADING && phase != Phase.RECEIVING) {
        log.debug("session {}: unsolicited backend packet 0x{} in {}", client.connectionId(),
            payload.length() > 0 ? Integer.toHexString(payload.getUnsignedByte(0)) : "", phase);
        return;
      }
      if (KillRouter.interruptsAnAnnouncedKill(payload, killQueryUntilMillis)) {
        killQueryUntilMillis = 0; // the killer's OK goes first, as the server sends it first
        BackendConnection from = backend;
        vertx.setTimer(KillRouter.KILLER_HEAD_START_MILLIS, id -> {
          if (from == backend) {
            onFrame(sequenceId, payload, frame);
            onChunkEnd();
          }
        });
        return;
      }
      int flags = tracker.onBackendFrame(payload);
      if ((flags & ResponseTracker.ERR_PACKET) != 0 && !responseStarted && ServerError.dropsConnection(ServerError.code(payload))) {
        killedBy = ErrPacket.decode(payload); // the connection is going away: handled as its loss
        return;
      }
      if (persistent) {
        learner.onResponseFrame(flags, payload, tracker.statusFlags());
      }
      Buffer out = frame;
      if ((flags & ResponseTracker.OK_PACKET) != 0 && !clientTracksState) {
        Buffer rewritten = OkPacket.withoutSessionTrack(payload, sequenceId);
        if (rewritten != null) {
          out = rewritten;
        }
      }
      if (killThread != 0 && (flags & ResponseTracker.ERR_PACKET) != 0) {
        out = KillRouter.namingTheSession(payload, sequenceId, killThread, killNamed);
      }
      toClient.add(out);
      responseStarted = true;
      lastSequenceToClient = sequenceId;
      if ((flags & ResponseTracker.INFILE_REQUEST) != 0) {
        phase = Phase.UPLOADING;
      }
      if ((flags & ResponseTracker.COMPLETE) != 0) {
        if (persistent) {
          learner.onComplete();
        }
        lastWarnings = warnings(payload, flags);
        retryFrame = null;
        services.metrics().backendResponse(System.nanoTime() - commandSentNanos);
        completedInChunk = true;
        phase = Phase.IDLE;
      }
    }

    @Override
    public void onChunkEnd() {
      lastBackendMillis = System.currentTimeMillis(); // once per read, not per frame
      if (!toClient.isEmpty()) {
        client.write(toClient.take());
        if (client.writeQueueFull()) {
          BackendConnection paused = backend;
          paused.pause();
          client.drainHandler(ignored -> {
            client.drainHandler(null);
            paused.resume();
          });
        }
      }
      if (completedInChunk) {
        completedInChunk = false;
        idleLimit.responded(learner.state());
        settle();
      }
    }
  }

  /** Between commands: read state back if a statement changed it, then switch if asked, then serve. */
  private void settle() {
    if (persistent && learner.refreshWanted() && lastWarnings == 0) {
      startRefresh();
    } else if (switchPending && !staging) {
      migrate();
    } else {
      becomeIdle();
      drainQueue();
    }
  }

  private static int warnings(Buffer payload, int flags) {
    if ((flags & ResponseTracker.STATUS) == 0) {
      return 0;
    }
    if ((flags & ResponseTracker.OK_PACKET) != 0) {
      return OkHeader.read(payload).warnings();
    }
    return payload.length() >= 3 ? payload.getUnsignedShortLE(1) : 0;
  }

  /** Makes the session the owner of the backend connection's frames and of its loss. */
  private void listen() {
    BackendConnection connection = backend;
    connection.sink(backendSink);
    connection.closeHandler(ignored -> onBackendLost(connection));
  }

  private void startRefresh() {
    phase = Phase.REFRESHING;
    lastBackendMillis = System.currentTimeMillis();
    BackendConnection connection = backend;
    UserVariableReader.refresh(connection, deprecateEof, learner.state(), learner.trackingNarrowed()).onComplete(read -> {
      if (phase == Phase.CLOSED || connection != backend) {
        return;
      }
      if (read.succeeded()) {
        learner.refreshed(read.result());
        services.metrics().stateRefreshed();
      } else if (connection.isClosed()) {
        onBackendLost(connection);
        return;
      } else {
        log.info("session {}: user variables not read back, so it cannot be rebuilt: {}", client.connectionId(),
            read.cause().getMessage());
        learner.refreshFailed(read.cause().getMessage());
      }
      listen();
      lastWarnings = 0;
      settle();
    });
  }

  // ---- losing the backend, and getting it back ------------------------------------------------

  private void onBackendLost(BackendConnection connection) {
    if (connection != backend || phase == Phase.CLOSED || phase == Phase.RECONNECTING) {
      return;
    }
    Phase lostIn = phase;
    phase = Phase.RECONNECTING; // held while BackendLoss tells a KILL from a loss to heal
    BackendLoss.classify(connection, killedBy, connector).onComplete(outcome -> {
      if (phase == Phase.RECONNECTING && connection == backend) {
        phase = lostIn;
        boolean heals = !outcome.succeeded() || outcome.result().heals();
        log.debug("session {}: backend {} lost in {}", client.connectionId(), connection.address(), phase);
        afterLoss(LossClassifier.classify(lossFacts(heals)));
      }
    });
  }

  private LossClassifier.Facts lossFacts(boolean heals) {
    LossClassifier.Where where = switch (phase) {
      case IDLE, REFRESHING, HELD, KILL_LOOKUP -> LossClassifier.Where.BETWEEN_COMMANDS;
      case AWAITING -> LossClassifier.Where.IN_FLIGHT;
      case STARTING, RECEIVING, UPLOADING, CHANGE_USER_AUTH -> LossClassifier.Where.MID_COMMAND;
      case CHANGE_USER_CONNECTING, RECONNECTING, CLOSED -> LossClassifier.Where.ELSEWHERE;
    };
    boolean known = retryFrame != null;
    return new LossClassifier.Facts(where, heals, heals && idleLimit.reached(System.currentTimeMillis()), persistent,
        known && RetryPolicy.mayResend(commandView, responseStarted, statusBeforeCommand, learner.state()),
        responseStarted, (statusBeforeCommand & ServerStatus.IN_TRANS) != 0,
        known && RetryPolicy.cannotHaveCommitted(commandView, learner.state()), killedBy != null);
  }

  private void afterLoss(LossClassifier.Outcome outcome) {
    switch (outcome) {
      case SESSION_KILLED -> {
        services.metrics().failedByLoss(outcome.label()); // a KILL ends the session as on the server:
        end(killedBy, nextSequenceToClient()); // a connection that killed itself is told so, others just close
      }
      case IDLE_EXPIRED -> expireIdle(); // the backend timed out with the client's own wait_timeout
      case UNTRACKED -> end(ErrPacket.of(ErrorCode.BACKEND_UNAVAILABLE, "Tether: lost the connection to the database"),
          phase == Phase.IDLE ? 0 : nextSequenceToClient());
      case REBUILD -> recover(null, inTransaction(), null);
      case RESEND, RESULT_INTERRUPTED, TRANSACTION_LOST, STATEMENT_KILLED, OUTCOME_UNKNOWN -> onLostInFlight(outcome);
      case MID_COMMAND -> end(ErrPacket.of(ErrorCode.BACKEND_UNAVAILABLE,
          "Tether: lost the connection to the database during the command"), nextSequenceToClient());
      case IGNORED -> { }
    }
  }

  /** The backend died with a command in flight: re-send it, or fail it as the classifier decided. */
  private void onLostInFlight(LossClassifier.Outcome outcome) {
    boolean wasInTransaction = (statusBeforeCommand & ServerStatus.IN_TRANS) != 0;
    if (!toClient.isEmpty()) {
      client.write(toClient.take());
    }
    tracker.reset();
    ErrPacket error = switch (outcome) {
      case RESULT_INTERRUPTED -> ErrPacket.of(ErrorCode.RESULT_INTERRUPTED, "Tether: the connection to the database"
          + " was lost while the result was being sent; the statement failed and the connection is usable again");
      case TRANSACTION_LOST -> transactionLost();
      case STATEMENT_KILLED -> killedBy; // the server answered: the statement was stopped, not applied
      case OUTCOME_UNKNOWN -> ErrPacket.of(ErrorCode.OUTCOME_UNKNOWN, "Tether: the connection to the database was"
          + " lost during the statement; it may or may not have been applied. The connection is usable again");
      case RESEND, SESSION_KILLED, IDLE_EXPIRED, UNTRACKED, REBUILD, MID_COMMAND, IGNORED -> null;
    };
    if (error == null) {
      recover(retryFrame, false, null);
      return;
    }
    services.metrics().failedByLoss(outcome.label());
    client.sendError(error, nextSequenceToClient());
    recover(null, wasInTransaction && outcome != LossClassifier.Outcome.TRANSACTION_LOST, null);
  }

  /** What the next statement must be told after a loss: a lost transaction, or lost temporary tables. */
  private ErrPacket lossNotice(boolean transactionLost) {
    SessionState state = learner.state();
    String tables = String.join(", ", state.temporaryTables());
    for (String table : state.temporaryTables()) {
      state = state.withTemporaryTable(table, false);
    }
    learner.state(state);
    if (transactionLost) {
      return tables.isEmpty() ? transactionLost() : ErrPacket.of(ErrorCode.TRANSACTION_LOST, transactionLost().message()
          + " Temporary tables " + tables + " were lost too.");
    }
    if (!tables.isEmpty()) {
      services.metrics().failedByLoss("temporary_tables_lost");
      return ErrPacket.of(ErrorCode.SESSION_STATE_LOST, "Tether: the connection to the database was lost and the"
          + " temporary tables " + tables + " with it; the session continues without them");
    }
    return null;
  }

  private static ErrPacket transactionLost() {
    return ErrPacket.of(ErrorCode.TRANSACTION_LOST, "Tether: the connection to the database was lost and the open"
        + " transaction was rolled back; retry the transaction (the connection is usable again).");
  }

  /**
   * Holds the session while a new backend connection is made and the state replayed on it. The next
   * statement is then told of what could not come along: the open transaction when
   * {@code transactionLost}, and the temporary tables unless {@code tables} recreates them.
   */
  private void recover(Buffer resend, boolean transactionLost, TemporaryTableCopy tables) {
    ErrPacket nextNotice = tables == null ? lossNotice(transactionLost) : transactionLost ? transactionLost() : null;
    phase = Phase.RECONNECTING;
    long heldSince = System.currentTimeMillis();
    SessionState state = learner.state();
    int replySequence = resend != null ? (commandSequence + 1) & 0xFF : 0;
    RebuildCheck.Refusal refusal = RebuildCheck.refusal(state, learner.lostState(), services.config().session());
    if (refusal != null) {
      services.metrics().replayFailed(refusal.reason());
      log.info("session {}: not migrated: {}", client.connectionId(), refusal.message());
      end(ErrPacket.of(ErrorCode.BACKEND_UNAVAILABLE, "Tether: the connection to the database was lost and this"
          + " session cannot be rebuilt: " + refusal.message()), replySequence);
      return;
    }
    long deadline = heldSince + services.config().session().holdWindow().toMillis();
    SessionRecovery.reconnect(vertx, connector, login, state, tables, deprecateEof, deadline, client.connectionId())
        .onComplete(recovered -> {
          if (phase == Phase.CLOSED) {
            if (recovered.succeeded()) {
              recovered.result().backend().close();
            }
            return;
          }
          if (recovered.failed()) {
            String reason = recovered.cause() instanceof ReplayFailure f ? f.reason() : "reconnect_failed";
            services.metrics().replayFailed(reason);
            log.info("session {}: not migrated: {} ({})", client.connectionId(), reason, recovered.cause().getMessage());
            end(ErrPacket.of(ErrorCode.BACKEND_UNAVAILABLE, "Tether: the connection to the database was lost and"
                + " the session could not be rebuilt: " + recovered.cause().getMessage()), replySequence);
            return;
          }
          backend = recovered.result().backend();
          backendEpoch = backend.target().epoch();
          String copyFailure = recovered.result().tableCopyFailure();
          ErrPacket told = nextNotice;
          if (copyFailure != null) {
            log.info("session {}: temporary tables not recreated: {}", client.connectionId(), copyFailure);
            told = lossNotice(transactionLost);
          } else if (tables != null) {
            services.metrics().temporaryTablesCopied(tables.tables().size());
          }
          listen();
          statements.remap(recovered.result().statementIds());
          tracker.statusFlags(backend.statusFlags());
          services.metrics().reconnected(Duration.ofMillis(System.currentTimeMillis() - heldSince));
          log.debug("session {}: rebuilt on backend thread {} after {} ms", client.connectionId(), backend.threadId(),
              System.currentTimeMillis() - heldSince);
          becomeIdle();
          if (told != null) {
            notice = told; // a notice not yet delivered stays until a newer one replaces it
          }
          if (backendEpoch != connector.target().epoch()) {
            migrate(); // the target moved while this session was reconnecting
            return;
          }
          if (resend != null) {
            services.metrics().retried();
            startCommand(0, payloadOf(resend), resend);
            flushToBackend();
          }
          drainQueue();
        });
  }

  /**
   * A KILL of a Tether session: learn where its backend thread is (any node), then send the server
   * the same KILL naming that thread on this session's own connection, so the server judges the
   * privilege ({@link KillRouter}). Lost meanwhile: the command waits in the queue for the rebuild.
   */
  private void routeKill(KillStatement kill, Buffer original) {
    phase = Phase.KILL_LOOKUP;
    services.kills().route(kill, backend.address()).onComplete(done -> {
      KillRouter.Routed routed = done.result();
      if (phase != Phase.KILL_LOOKUP) {
        Buffer later = routed.frame() != null ? routed.frame() : original;
        queued.addFirst(new QueuedFrame(0, payloadOf(later), later));
      } else if (routed.frame() == null) {
        client.sendError(routed.error(), 1);
        becomeIdle();
        drainQueue();
      } else {
        phase = Phase.IDLE;
        startCommand(0, payloadOf(routed.frame()), routed.frame());
        killThread = routed.thread();
        killNamed = kill.id();
        flushToBackend();
      }
    });
  }

  /** The backend connection serving the session now, for a KILL that names the session (on its event loop). */
  public BackendConnection currentBackend() {
    killQueryUntilMillis = System.currentTimeMillis() + KillRouter.ANNOUNCED_KILL_MILLIS;
    return phase == Phase.CLOSED ? null : backend;
  }

  private static Buffer payloadOf(Buffer frame) {
    return frame.slice(Packets.HEADER_SIZE, frame.length());
  }

  // ---- COM_CHANGE_USER ---------------------------------------------------------------------

  private void beginChangeUser(Buffer payload) {
    changeUserRequest = ChangeUserRequest.decode(payload, login.capabilities(), login.collation());
    changeUser = new AuthExchange(services, client, changeUserRequest.username(), login.challenge());
    phase = Phase.CHANGE_USER_AUTH;
    if (!backend.identity().mariaDb()) {
      onChangeUserOutcome(changeUser.begin(changeUserRequest.authPluginName(), changeUserRequest.authResponse(), 0));
    } else if (failedChangeUsers >= ChangeUserDenial.ALLOWED_FAILURES) {
      denyChangeUser(ErrPacket.of(ErrorCode.UNKNOWN_COM_ERROR, "Unknown command"), 1);
    } else {
      onChangeUserOutcome(changeUser.beginWithFreshChallenge(changeUserRequest.authResponse(), 0));
    }
  }

  /** MySQL ends the connection after a failed COM_CHANGE_USER; MariaDB resets the session and keeps it. */
  private void denyChangeUser(ErrPacket error, int sequence) {
    if (!backend.identity().mariaDb()) {
      end(error, sequence);
      return;
    }
    failedChangeUsers++;
    phase = Phase.CHANGE_USER_CONNECTING;
    client.pause(ClientConnection.PAUSED_BUSY);
    SessionState after = ChangeUserDenial.stateAfter(learner.state());
    ChangeUserDenial.reset(vertx, backend, after, deprecateEof, persistent).onComplete(reset -> {
      if (phase != Phase.CLOSED && reset.failed()) {
        end(ErrPacket.from(reset.cause()), sequence);
      } else if (phase != Phase.CLOSED) {
        listen();
        learner.state(after);
        statements.clear();
        tracker.statusFlags(reset.result());
        client.sendError(error, sequence);
        changeUserDone();
      }
    });
  }

  private void changeUserDone() {
    changeUser = null;
    changeUserRequest = null;
    becomeIdle();
    idleLimit.responded(learner.state());
    client.resume(ClientConnection.PAUSED_BUSY);
    drainQueue();
  }

  private void onChangeUserOutcome(AuthExchange.Outcome outcome) {
    switch (outcome) {
      case CONTINUE -> { }
      case DENIED -> {
        services.metrics().authFailure();
        denyChangeUser(changeUser.denial(), changeUser.nextSequence());
      }
      case ACCEPTED -> {
        phase = Phase.CHANGE_USER_CONNECTING;
        client.pause(ClientConnection.PAUSED_BUSY);
        ClientLogin next = login.withUser(changeUser.account(), changeUserRequest.database(),
            changeUserRequest.collation(), changeUserRequest.connectAttributes());
        int okSequence = changeUser.nextSequence();
        SessionState fresh = SessionState.initial(changeUserRequest.database());
        connector.connect(next.toLoginRequest())
            .compose(connection -> SessionReplayer.replay(connection, fresh, deprecateEof, client.connectionId())
                .map(ids -> connection)
                .onFailure(failed -> connection.close()))
            .onComplete(connected -> {
              if (phase == Phase.CLOSED) {
                if (connected.succeeded()) {
                  connected.result().close();
                }
                return;
              }
              if (connected.failed()) {
                end(ErrPacket.from(connected.cause()), okSequence);
                return;
              }
              BackendConnection old = backend;
              login = next;
              backend = connected.result();
              listen();
              old.closeHandler(null);
              old.close();
              learner.state(fresh);
              statements.clear();
              tracker.statusFlags(backend.statusFlags());
              client.write(OkPacket.of(backend.statusFlags()).encode(okSequence, clientTracksState));
              changeUserDone();
            });
      }
    }
  }

  // ---- endings -----------------------------------------------------------------------------

  /**
   * Something this code did not expect: logged as a bug and counted, or, for bytes no peer should
   * send (a ProtocolException), counted as a protocol error; the session ends cleanly.
   */
  private void failed(String where, RuntimeException e) {
    if (e instanceof dev.tether.proxy.protocol.ProtocolException) {
      log.info("session {}: malformed {} in {}: {}", client.connectionId(), where, phase, e.getMessage());
      services.metrics().protocolError();
    } else {
      log.error("BUG: session {} in {} while handling a {}: {}", client.connectionId(), phase, where, e.toString(), e);
      services.metrics().bug("relay_session");
    }
    end(ErrPacket.of(ErrorCode.BACKEND_UNAVAILABLE, "Tether: internal error, the session was closed: " + e),
        nextSequenceToClient());
  }

  private int nextSequenceToClient() {
    return ((responseStarted ? lastSequenceToClient : commandSequence) + 1) & 0xFF;
  }

  private void violation(ErrorCode code, String message, int sequenceId) {
    services.metrics().protocolError();
    end(ErrPacket.of(code, message), (sequenceId + 1) & 0xFF);
  }

  /** The client's own wait_timeout passed: closed as its server would (MariaDB: a reset; MySQL 8: ERR 4031). */
  private void expireIdle() {
    services.metrics().rejected("wait_timeout");
    end(backend.identity().mariaDb() ? null : ErrPacket.of(ErrorCode.CLIENT_INTERACTION_TIMEOUT,
        "The client was disconnected by the server because of inactivity."), 0);
  }

  /** Ends the session with {@code error}, or with a reset and nothing sent when it is null. */
  private void end(ErrPacket error, int sequenceId) {
    if (phase == Phase.CLOSED) {
      return;
    }
    phase = Phase.CLOSED;
    discardStaged();
    if (!toClient.isEmpty()) {
      client.write(toClient.take());
    }
    backend.close();
    if (error == null) {
      client.abort();
    } else {
      client.closeWithError(error, sequenceId);
    }
  }
}
