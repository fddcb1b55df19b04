package dev.tether.proxy.session;

import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.backend.BackendConnector;
import dev.tether.proxy.frontend.ClientConnection;
import dev.tether.proxy.frontend.ClientLogin;
import dev.tether.proxy.node.NodeServices;
import dev.tether.proxy.protocol.Capabilities;
import dev.tether.proxy.protocol.ErrPacket;
import dev.tether.proxy.protocol.OkPacket;
import dev.tether.proxy.protocol.ResponseTracker;
import dev.tether.proxy.protocol.ServerStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * One client session after login: its phase, its two connections and the outbox to the backend.
 * Each client frame goes where the phase says: a command's frames (its first, the rest of a large
 * one, a LOCAL INFILE upload) to {@link CommandIntake}; responses come back through
 * {@link ResponseRelay}, a lost backend goes to {@link LossRecovery}, a switchover to
 * {@link SessionSwitchover}, COM_CHANGE_USER to {@link ChangeUserFlow}. The state is kept by a
 * {@link StateTracker}, the command in flight by {@link CommandInFlight}.
 *
 * <p>One command is in flight at a time; pipelined commands queue ({@link CommandQueue}).
 * Backpressure both ways. Confined to the client's event loop, with the backend on the same loop.
 */
public final class RelaySession implements ClientConnection.Owner {
  // immutable after construction
  private final SessionContext context;
  private final ClientConnection client;
  private final SessionParts parts;
  private final Outbox toBackend = new Outbox();
  private final ResponseRelay relay;
  private final CommandIntake intake;
  private final LossRecovery recovery;
  private final SessionSwitchover switchover;
  private final ChangeUserFlow changeUser;
  private final StateReadBack readBack;
  private final SessionDeadlines deadlines;
  private final SessionEnd endings;

  // confined to the event loop
  private ClientLogin login;
  private BackendConnection backend;
  private Phase phase = Phase.STARTING;

  public RelaySession(Vertx vertx, NodeServices services, NodeSessions sessions, ClientConnection client,
                      BackendConnector connector, ClientLogin login, BackendConnection backend) {
    this.context = new SessionContext(vertx, services, sessions, client, connector,
        Capabilities.has(login.capabilities(), Capabilities.CLIENT_SESSION_TRACK),
        Capabilities.has(login.capabilities(), Capabilities.CLIENT_DEPRECATE_EOF), services.clock());
    this.client = client;
    this.login = login;
    this.backend = backend;
    StatementIds statementIds = new StatementIds(new BackendStatements());
    StateLearner learner = new StateLearner(SessionState.initial(login.database()), statementIds);
    ResponseTracker tracker = new ResponseTracker(context.deprecateEof());
    boolean persistent = services.config().session().persistent();
    this.parts = new SessionParts(new CommandInFlight(), new CommandQueue(client), tracker, learner, persistent
        ? learner : StateTracker.UNTRACKED, new JournalRecorder(services.config().proxy().transactions(), persistent,
        learner, statementIds, tracker), statementIds, new IdleLimit(vertx, () -> phase == Phase.IDLE, () -> phase == Phase.CLOSED,
            client::lastActivityMillis, this::expireIdle, context::now));
    this.relay = new ResponseRelay(this, context, parts);
    this.intake = new CommandIntake(this, context, parts);
    this.recovery = new LossRecovery(this, context, parts);
    this.switchover = new SessionSwitchover(this, context, parts, backend.target().epoch());
    switchover.starting(services.heldEpoch() != -1); // on the loop, in the task that makes the session visible to a phase
    this.changeUser = new ChangeUserFlow(this, context, parts);
    this.readBack = new StateReadBack(this, context, parts);
    this.deadlines = new SessionDeadlines(this, context, parts);
    this.endings = new SessionEnd(this, context, parts);
  }

  /** Turns on session tracking on the backend, then answers the client's login with OK. */
  public void start(int okSequence) {
    client.owner(this);
    SessionState state = parts.learner().state();
    Future<Void> tracking = parts.stateTracker().tracks()
        ? SessionReplayer.replay(backend, state, context.deprecateEof(), context.id())
            .compose(replayed -> parts.idleLimit().readAtLogin(backend, context.deprecateEof()))
        : Future.succeededFuture();
    tracking.onComplete(ready -> {
      if (phase == Phase.CLOSED) {
        return;
      }
      if (ready.failed()) {
        endings.end(ErrPacket.from(ready.cause()), okSequence);
        return;
      }
      listen();
      client.write(OkPacket.of(backend.statusFlags()).encode(okSequence, context.clientTracksState()));
      becomeIdle();
      parts.idleLimit().responded(parts.learner().state());
      client.resume(ClientConnection.PAUSED_BUSY);
      drainQueue();
    });
  }

  /** The session's part in a switchover: BLOCK, stage, SWITCH, RESTORE (on the session's loop). */
  public SessionSwitchover switchover() {
    return switchover;
  }

  /** True when nothing of this session is at the backend: no command in flight, no open transaction. */
  public boolean quiescent() {
    return phase == Phase.CLOSED || (betweenCommands() && !inTransaction());
  }

  /** True when no command is at the backend: idle, or its next command held by a switchover. */
  public boolean betweenCommands() {
    return phase == Phase.IDLE || phase == Phase.HELD;
  }

  /** True while the session is being rebuilt on a new backend connection, or is about to be. */
  public boolean migrating() {
    return phase == Phase.RECONNECTING || switchover.movePending();
  }

  /** True when the server said a transaction is open. */
  public boolean inTransaction() {
    return (parts.tracker().statusFlags() & ServerStatus.IN_TRANS) != 0;
  }

  /** Why the transaction open now could not be replayed on a new backend (a metric label), or null. */
  public String notReplayableBecause() {
    return parts.recorder().notReplayableBecause();
  }

  /** The backend connection serving the session now, for a KILL that names the session (on its event loop). */
  public BackendConnection currentBackend() {
    relay.killAnnounced();
    return phase == Phase.CLOSED ? null : backend;
  }

  // ---- client side -------------------------------------------------------------------------

  @Override
  public void onFrame(int sequenceId, Buffer payload, Buffer frame) {
    try {
      boolean waits = switch (phase) {
        case IDLE -> {
          intake.start(sequenceId, payload, frame);
          yield false;
        }
        case RECEIVING -> {
          intake.continueCommand(sequenceId, payload, frame);
          yield false;
        }
        case UPLOADING -> {
          intake.upload(sequenceId, payload, frame);
          yield false;
        }
        case CHANGE_USER_AUTH -> {
          changeUser.onClientPacket(payload, sequenceId);
          yield false;
        }
        case STARTING, AWAITING, REFRESHING, RECONNECTING, HELD, KILL_LOOKUP, CHANGE_USER_CONNECTING -> true;
        case CLOSED -> false;
      };
      if (waits) {
        parts.queue().add(sequenceId, payload, frame); // the session is busy: a pipelined command waits its turn
      }
    } catch (RuntimeException e) {
      endings.failed("client frame", e);
    }
  }

  @Override
  public void onChunkEnd() {
    flushToBackend();
  }

  @Override
  public void onClosed() {
    endings.clientClosed();
  }

  private void expireIdle() {
    endings.expireIdle();
  }

  @Override
  public void onTick(long nowMillis) {
    deadlines.onTick(nowMillis);
  }

  // ---- between commands --------------------------------------------------------------------

  /** Between commands: read state back if a statement changed it, then switch if asked, then serve. */
  void settle() {
    if (readBack.due()) {
      readBack.start();
    } else if (switchover.moveDue()) {
      switchover.migrate();
    } else {
      becomeIdle();
      drainQueue();
    }
  }

  void becomeIdle() {
    phase = Phase.IDLE;
    deadlines.idle();
    context.changed();
  }

  /** Replays commands the client pipelined, as far as the session can take them now. */
  void drainQueue() {
    parts.queue().drainInto(this, () -> phase == Phase.IDLE || phase == Phase.RECEIVING);
    flushToBackend();
  }

  void toBackend(Buffer frame) {
    toBackend.add(frame);
  }

  void flushToBackend() {
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

  // ---- the backend connection --------------------------------------------------------------

  /** Makes the session the owner of the backend connection's frames and of its loss. */
  void listen() {
    BackendConnection connection = backend;
    connection.sink(relay);
    connection.closeHandler(ignored -> recovery.onBackendLost(connection));
  }

  /** The session continues on {@code rebuilt}, where its prepared statements now have these ids. */
  void useBackend(BackendConnection rebuilt, Map<Long, Long> statementIdsThere) {
    backend = rebuilt;
    switchover.connectedTo(rebuilt.target().epoch());
    listen();
    parts.statementIds().remap(statementIdsThere);
    parts.tracker().statusFlags(rebuilt.statusFlags());
    context.changed(); // moved: a switchover waiting for its sessions counts again
  }

  /** COM_CHANGE_USER succeeded: {@code next} is logged in on {@code fresh}, the old connection goes. */
  void replaceBackend(ClientLogin next, BackendConnection fresh) {
    BackendConnection old = backend;
    login = next;
    backend = fresh;
    listen();
    old.closeHandler(null);
    old.close();
  }

  // ---- for the session's parts (same package, same event loop) -----------------------------

  Phase phase() {
    return phase;
  }

  void phase(Phase next) {
    phase = next;
  }

  BackendConnection backend() {
    return backend;
  }

  ClientLogin login() {
    return login;
  }

  CommandIntake intake() {
    return intake;
  }

  ResponseRelay relay() {
    return relay;
  }

  LossRecovery recovery() {
    return recovery;
  }

  ChangeUserFlow changeUser() {
    return changeUser;
  }

  StateReadBack readBack() {
    return readBack;
  }

  SessionDeadlines deadlines() {
    return deadlines;
  }

  SessionEnd endings() {
    return endings;
  }
}
