package dev.tether.proxy.frontend;

import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.backend.BackendConnector;
import dev.tether.proxy.backend.BackendIdentity;
import dev.tether.proxy.node.AuthThrottle;
import dev.tether.proxy.node.NodeServices;
import dev.tether.proxy.node.Rejection;
import dev.tether.proxy.protocol.AuthScramble;
import dev.tether.proxy.protocol.Capabilities;
import dev.tether.proxy.protocol.ErrPacket;
import dev.tether.proxy.protocol.ErrorCode;
import dev.tether.proxy.protocol.HandshakeResponse41;
import dev.tether.proxy.protocol.HandshakeV10;
import dev.tether.proxy.protocol.Packets;
import dev.tether.proxy.protocol.ServerStatus;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the connection phase: greets the client as the backend would, upgrades to TLS
 * on an SSLRequest, authenticates against the user store, logs the user into the backend and only
 * then answers OK and hands the connection on to a session. Bounded by the handshake timeout.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase.html">Connection phase</a>
 */
public final class FrontendHandshake implements ClientConnection.Owner {
  private static final Logger log = LoggerFactory.getLogger(FrontendHandshake.class);

  private enum Phase {
    /** Greeting sent; waiting for the handshake response or an SSLRequest. */
    GREETED,
    /** Password exchange in progress (auth switch, caching_sha2 full auth). */
    AUTHENTICATING,
    /** Authenticated; logging into the backend. */
    CONNECTING,
    /** Handed to the session, or failed. */
    DONE
  }

  /** No connection-phase packet comes near this; a larger announced length is garbage. */
  private static final int MAX_HANDSHAKE_PACKET = 64 * 1024;

  private final NodeServices services;
  private final ClientConnection client;
  private final BackendConnector connector;
  private final SessionStarter sessions;
  private final long deadlineMillis;
  private final byte[] challenge = AuthScramble.newChallenge();
  private long serverCapabilities;
  private Phase phase = Phase.GREETED;
  private int expectedSequence = 1;
  private HandshakeResponse41 response;
  private AuthExchange exchange;
  /** The login attempt the throttle admitted, settled by its outcome or by the connection closing. */
  private AuthThrottle.Attempt attempt;

  /**
   * Receives a connection whose client and backend are both logged in; it owes the client the final
   * OK of the login, with {@code okSequence}, once the backend connection is ready for it.
   */
  public interface SessionStarter {
    void start(ClientConnection client, ClientLogin login, BackendConnection backend, int okSequence);
  }

  public FrontendHandshake(NodeServices services, ClientConnection client, BackendConnector connector,
                           SessionStarter sessions) {
    this.services = services;
    this.client = client;
    this.connector = connector;
    this.sessions = sessions;
    this.deadlineMillis = System.currentTimeMillis() + services.config().proxy().handshakeTimeout().toMillis();
  }

  /** Sends the greeting, presenting the backend's identity. */
  public void start(BackendIdentity identity) {
    client.owner(this);
    ErrPacket blocked = services.authThrottle().refusalAtConnect(client.remoteHost());
    if (blocked != null) {
      fail(blocked, 0);
      return;
    }
    client.maxFramePayload(MAX_HANDSHAKE_PACKET);
    serverCapabilities = (identity.capabilities() & Capabilities.PROXY_SUPPORTED)
        | Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SECURE_CONNECTION | Capabilities.CLIENT_PLUGIN_AUTH
        | (services.tls() != null ? Capabilities.CLIENT_SSL : 0);
    client.write(new HandshakeV10(identity.serverVersion(), client.connectionId(), challenge, serverCapabilities,
        identity.collation(), ServerStatus.AUTOCOMMIT, services.config().proxy().authPlugin().wireName()).encode());
  }

  @Override
  public void onFrame(int sequenceId, Buffer payload, Buffer frame) {
    try {
      if (sequenceId != expectedSequence) {
        fail(ErrPacket.of(ErrorCode.NET_PACKETS_OUT_OF_ORDER, "Got packets out of order"));
        return;
      }
      boolean expected = switch (phase) {
        case GREETED -> {
          onResponse(sequenceId, payload);
          yield true;
        }
        case AUTHENTICATING -> {
          onOutcome(exchange.onClientPacket(payload, sequenceId));
          yield true;
        }
        case CONNECTING, DONE -> false; // the client owes nothing now
      };
      if (!expected) {
        fail(ErrPacket.of(ErrorCode.HANDSHAKE_ERROR, "Bad handshake"));
      }
    } catch (RuntimeException e) {
      services.metrics().protocolError();
      log.debug("connection {}: bad handshake packet: {}", client.connectionId(), e.toString());
      fail(ErrPacket.of(ErrorCode.HANDSHAKE_ERROR, "Bad handshake"));
    }
  }

  @Override
  public void onOversizedFrame(int payloadLength) {
    services.metrics().protocolError();
    fail(ErrPacket.of(ErrorCode.HANDSHAKE_ERROR, "Bad handshake"));
  }

  @Override
  public void onClosed() {
    phase = Phase.DONE;
    settle(false); // closed before an answer: the client learned nothing
  }

  private void settle(boolean failed) {
    if (attempt != null) {
      attempt.settle(failed);
    }
  }

  @Override
  public void onTick(long nowMillis) {
    if (phase != Phase.DONE && nowMillis > deadlineMillis) {
      services.metrics().rejected(Rejection.HANDSHAKE_TIMEOUT);
      fail(ErrPacket.of(ErrorCode.HANDSHAKE_ERROR, "Bad handshake: not completed within "
          + services.config().proxy().handshakeTimeout().toMillis() + " ms"));
    }
  }

  private void onResponse(int sequenceId, Buffer payload) {
    if (HandshakeResponse41.isSslRequest(payload) || (services.tls() != null && !client.isTls()
        && HandshakeResponse41.asksForTls(payload))) {
      // A full response with CLIENT_SSL is taken as the server takes it: as an SSLRequest. TLS starts,
      // and a client that goes on in plain text is never let in.
      if (services.tls() == null || client.isTls()) {
        fail(ErrPacket.of(ErrorCode.HANDSHAKE_ERROR, "Bad handshake: TLS is not available"));
        return;
      }
      // Only bytes that passed the TLS handshake can arrive from now on, so the next frame is the
      // real handshake response.
      expectedSequence = sequenceId + 1;
      client.startTls(services.tls()).onFailure(failure -> {
        log.debug("connection {}: TLS handshake failed: {}", client.connectionId(), failure.toString());
        phase = Phase.DONE;
        client.close();
      });
      return;
    }
    response = HandshakeResponse41.decode(payload);
    phase = Phase.AUTHENTICATING;
    AuthThrottle.Admission admission = services.authThrottle().admit(client.remoteHost(), response.username());
    boolean admitted = switch (admission.verdict()) {
      case ALLOW -> {
        authenticate(admission.attempt(), sequenceId);
        yield true;
      }
      case DELAY -> {
        authenticateLater(admission, sequenceId);
        yield true;
      }
      case REFUSE -> false;
    };
    if (!admitted) {
      fail(admission.refusal(), sequenceId + 1);
    }
  }

  /** A throttled attempt: verified after the delay, with the client's reads paused meanwhile. */
  private void authenticateLater(AuthThrottle.Admission admission, int sequenceId) {
    io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
    if (context == null) {
      authenticate(admission.attempt(), sequenceId);
      return;
    }
    client.pause(ClientConnection.PAUSED_BUSY);
    context.owner().setTimer(admission.delayMillis(), id -> {
      client.resume(ClientConnection.PAUSED_BUSY);
      if (client.isClosed()) {
        admission.attempt().settle(false); // gone while it waited: unanswered
      } else {
        authenticate(admission.attempt(), sequenceId);
      }
    });
  }

  private void authenticate(AuthThrottle.Attempt admitted, int sequenceId) {
    attempt = admitted;
    exchange = new AuthExchange(services, client, response.username(), challenge);
    onOutcome(exchange.begin(response.authPluginName(), response.authResponse(), sequenceId));
  }

  private void onOutcome(AuthExchange.Outcome outcome) {
    boolean denied = switch (outcome) {
      case CONTINUE -> {
        expectedSequence = exchange.nextSequence();
        yield false;
      }
      case ACCEPTED -> {
        settle(false);
        connectBackend();
        yield false;
      }
      case DENIED -> true;
    };
    if (denied) {
      settle(true);
      services.metrics().authFailure();
      fail(exchange.denial());
    }
  }

  private void connectBackend() {
    phase = Phase.CONNECTING;
    client.pause(ClientConnection.PAUSED_BUSY);
    long capabilities = response.capabilities() & serverCapabilities;
    ClientLogin login = new ClientLogin(exchange.account(), response.database(), response.collation(),
        capabilities, response.maxPacketSize(), response.connectAttributes(), challenge);
    int okSequence = exchange.nextSequence();
    connector.connect(login.toLoginRequest()).onComplete(connected -> {
      if (client.isClosed()) {
        if (connected.succeeded()) {
          connected.result().close();
        }
        return;
      }
      if (connected.failed()) {
        fail(ErrPacket.from(connected.cause()), okSequence);
        return;
      }
      phase = Phase.DONE;
      client.maxFramePayload(Packets.MAX_FRAME_PAYLOAD);
      sessions.start(client, login, connected.result(), okSequence);
    });
  }

  private void fail(ErrPacket error) {
    fail(error, exchange != null ? exchange.nextSequence() : expectedSequence);
  }

  private void fail(ErrPacket error, int sequenceId) {
    phase = Phase.DONE;
    client.closeWithError(error, sequenceId);
  }
}
