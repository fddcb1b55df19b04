package dev.tether.proxy.session;

import dev.tether.proxy.NodeServices;
import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.backend.BackendConnector;
import dev.tether.proxy.frontend.AuthExchange;
import dev.tether.proxy.frontend.ClientConnection;
import dev.tether.proxy.frontend.ClientLogin;
import dev.tether.proxy.protocol.Capabilities;
import dev.tether.proxy.protocol.ChangeUserRequest;
import dev.tether.proxy.protocol.Command;
import dev.tether.proxy.protocol.ErrPacket;
import dev.tether.proxy.protocol.ErrorCode;
import dev.tether.proxy.protocol.FrameSink;
import dev.tether.proxy.protocol.OkPacket;
import dev.tether.proxy.protocol.Packets;
import dev.tether.proxy.protocol.ResponseTracker;
import dev.tether.proxy.protocol.ServerStatus;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client session after login: relays each command to the backend and its response back,
 * frame by frame as unparsed slices, knowing at every moment whether a command is in flight and
 * whether a transaction is open. One command is in flight at a time; a client that pipelines has
 * its later commands queued (reads paused past a bound) until the response ends. Backpressure both
 * ways: a side that cannot take more pauses reads on the other.
 *
 * <p>Confined to the client's event loop; the backend connection lives on the same loop.
 */
public final class RelaySession implements ClientConnection.Owner {
  private static final Logger log = LoggerFactory.getLogger(RelaySession.class);
  /** Bytes of pipelined commands held before the client's reads are paused. */
  private static final int QUEUE_PAUSE_BYTES = 1 << 20;

  enum Phase {
    /** Between commands: nothing in flight. */
    IDLE,
    /** A command larger than one frame is still arriving from the client. */
    RECEIVING,
    /** The command is at the backend; its response is being relayed. */
    AWAITING,
    /** LOCAL INFILE: the client's file frames go to the backend until the empty packet. */
    UPLOADING,
    /** COM_CHANGE_USER: waiting for the client's next authentication packet. */
    CHANGE_USER_AUTH,
    /** COM_CHANGE_USER: logging the new user into a fresh backend connection. */
    CHANGE_USER_CONNECTING,
    /** The session is over. */
    CLOSED
  }

  private record QueuedFrame(int sequenceId, Buffer payload, Buffer frame) {}

  // immutable after construction
  private final NodeServices services;
  private final ClientConnection client;
  private final BackendConnector connector;
  private final boolean clientTracksState;
  private final long maxAllowedPacket;
  private final long idleTimeoutMillis;
  private final long responseTimeoutMillis;
  private final BackendSink backendSink = new BackendSink();
  private final Outbox toClient = new Outbox();
  private final Outbox toBackend = new Outbox();
  private final ArrayDeque<QueuedFrame> queued = new ArrayDeque<>();

  // confined to the event loop
  private ClientLogin login;
  private BackendConnection backend;
  private ResponseTracker tracker;
  private Phase phase = Phase.IDLE;
  private int commandSequence;
  private long commandBytes;
  private boolean responseStarted;
  private int lastSequenceToClient;
  private boolean drainAfterChunk;
  private long idleSinceMillis = System.currentTimeMillis();
  private long lastBackendMillis;
  private int queuedBytes;
  private AuthExchange changeUser;
  private ChangeUserRequest changeUserRequest;

  public RelaySession(NodeServices services, ClientConnection client, BackendConnector connector, ClientLogin login,
                      BackendConnection backend) {
    this.services = services;
    this.client = client;
    this.connector = connector;
    this.login = login;
    this.clientTracksState = Capabilities.has(login.capabilities(), Capabilities.CLIENT_SESSION_TRACK);
    this.maxAllowedPacket = services.config().proxy().maxAllowedPacket();
    this.idleTimeoutMillis = services.config().proxy().idleTimeout().toMillis();
    this.responseTimeoutMillis = connector.config().responseTimeout().toMillis();
    this.tracker = new ResponseTracker(Capabilities.has(login.capabilities(), Capabilities.CLIENT_DEPRECATE_EOF));
    attach(backend);
  }

  public void start() {
    client.owner(this);
  }

  /** True when a command is in flight (from its first byte until its response ends). */
  public boolean commandInFlight() {
    return phase != Phase.IDLE;
  }

  /** True when the server said a transaction is open. */
  public boolean inTransaction() {
    return (tracker.statusFlags() & ServerStatus.IN_TRANS) != 0;
  }

  // ---- client side -------------------------------------------------------------------------

  @Override
  public void onFrame(int sequenceId, Buffer payload, Buffer frame) {
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
      case AWAITING, CHANGE_USER_CONNECTING -> queue(sequenceId, payload, frame);
      case CLOSED -> { }
    }
  }

  @Override
  public void onChunkEnd() {
    flushToBackend();
  }

  @Override
  public void onClosed() {
    if (phase != Phase.CLOSED) {
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
      case AWAITING -> {
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
      case CHANGE_USER_CONNECTING, CLOSED -> { }
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
    int command = payload.getUnsignedByte(0);
    switch (command) {
      case Command.COM_QUIT -> {
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
    commandBytes = 0;
    tracker.expectResponseTo(payload);
    forward(sequenceId, payload, frame);
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
      return;
    }
    if (tracker.inFlight()) {
      phase = Phase.AWAITING;
      responseStarted = false;
      lastBackendMillis = System.currentTimeMillis();
    } else {
      becomeIdle(); // COM_STMT_CLOSE, COM_STMT_SEND_LONG_DATA: no response
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
    if (toBackend.isEmpty() || phase == Phase.CLOSED) {
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
      lastBackendMillis = System.currentTimeMillis();
      if (phase != Phase.AWAITING && phase != Phase.UPLOADING && phase != Phase.RECEIVING) {
        log.debug("session {}: unsolicited backend packet 0x{} in {}", client.connectionId(),
            payload.length() > 0 ? Integer.toHexString(payload.getUnsignedByte(0)) : "", phase);
        return;
      }
      int flags = tracker.onBackendFrame(payload);
      Buffer out = frame;
      if ((flags & ResponseTracker.OK_PACKET) != 0 && !clientTracksState) {
        Buffer rewritten = OkPacket.withoutSessionTrack(payload, sequenceId);
        if (rewritten != null) {
          out = rewritten;
        }
      }
      toClient.add(out);
      responseStarted = true;
      lastSequenceToClient = sequenceId;
      if ((flags & ResponseTracker.INFILE_REQUEST) != 0) {
        phase = Phase.UPLOADING;
      }
      if ((flags & ResponseTracker.COMPLETE) != 0) {
        becomeIdle();
        drainAfterChunk = true;
      }
    }

    @Override
    public void onChunkEnd() {
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
      if (drainAfterChunk) {
        drainAfterChunk = false;
        drainQueue();
      }
    }
  }

  private void attach(BackendConnection connection) {
    backend = connection;
    tracker.statusFlags(connection.statusFlags());
    services.metrics().backendConnections().incrementAndGet();
    connection.sink(backendSink);
    connection.closeHandler(ignored -> onBackendClosed(connection));
  }

  private void onBackendClosed(BackendConnection connection) {
    services.metrics().backendConnections().decrementAndGet();
    connection.close();
    if (connection != backend || phase == Phase.CLOSED) {
      return;
    }
    log.debug("session {}: backend {} closed in {}", client.connectionId(), connection.address(), phase);
    switch (phase) {
      case IDLE, CHANGE_USER_AUTH -> {
        phase = Phase.CLOSED;
        client.close();
      }
      case RECEIVING, AWAITING, UPLOADING -> end(ErrPacket.of(ErrorCode.BACKEND_UNAVAILABLE,
          "Tether: lost connection to the backend during the command"), nextSequenceToClient());
      case CHANGE_USER_CONNECTING, CLOSED -> { }
    }
  }

  // ---- COM_CHANGE_USER ---------------------------------------------------------------------

  private void beginChangeUser(Buffer payload) {
    changeUserRequest = ChangeUserRequest.decode(payload, login.capabilities(), login.collation());
    changeUser = new AuthExchange(services, client, changeUserRequest.username(), login.challenge());
    phase = Phase.CHANGE_USER_AUTH;
    onChangeUserOutcome(changeUser.begin(changeUserRequest.authPluginName(), changeUserRequest.authResponse(), 0));
  }

  private void onChangeUserOutcome(AuthExchange.Outcome outcome) {
    switch (outcome) {
      case CONTINUE -> { }
      case DENIED -> {
        services.metrics().authFailure();
        end(changeUser.denial(), changeUser.nextSequence());
      }
      case ACCEPTED -> {
        phase = Phase.CHANGE_USER_CONNECTING;
        client.pause(ClientConnection.PAUSED_BUSY);
        ClientLogin next = login.withUser(changeUser.account(), changeUserRequest.database(),
            changeUserRequest.collation(), changeUserRequest.connectAttributes());
        int okSequence = changeUser.nextSequence();
        connector.connect(next.toLoginRequest()).onComplete(connected -> {
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
          attach(connected.result());
          old.close();
          client.write(OkPacket.of(backend.statusFlags()).encode(okSequence, clientTracksState));
          changeUser = null;
          changeUserRequest = null;
          becomeIdle();
          client.resume(ClientConnection.PAUSED_BUSY);
          drainQueue();
        });
      }
    }
  }

  // ---- endings -----------------------------------------------------------------------------

  private int nextSequenceToClient() {
    return ((responseStarted ? lastSequenceToClient : commandSequence) + 1) & 0xFF;
  }

  private void violation(ErrorCode code, String message, int sequenceId) {
    services.metrics().protocolError();
    end(ErrPacket.of(code, message), (sequenceId + 1) & 0xFF);
  }

  /** Ends the session: flushes what the client is owed, sends the error, closes both sides. */
  private void end(ErrPacket error, int sequenceId) {
    if (phase == Phase.CLOSED) {
      return;
    }
    phase = Phase.CLOSED;
    if (!toClient.isEmpty()) {
      client.write(toClient.take());
    }
    backend.close();
    client.closeWithError(error, sequenceId);
  }
}
