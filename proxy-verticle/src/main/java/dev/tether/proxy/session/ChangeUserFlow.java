package dev.tether.proxy.session;

import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.frontend.AuthExchange;
import dev.tether.proxy.frontend.ClientConnection;
import dev.tether.proxy.frontend.ClientLogin;
import dev.tether.proxy.protocol.ChangeUserRequest;
import dev.tether.proxy.protocol.ErrPacket;
import dev.tether.proxy.protocol.ErrorCode;
import dev.tether.proxy.protocol.OkPacket;
import io.vertx.core.buffer.Buffer;

/**
 * COM_CHANGE_USER: the proxy authenticates the new user itself (as at login), then logs the user
 * into a fresh backend connection with a fresh session, which replaces the old one. A failed
 * attempt is answered as the server would: MySQL ends the connection, MariaDB resets the session
 * on the connection it keeps ({@link ChangeUserDenial}). Confined to the session's event loop.
 */
final class ChangeUserFlow extends SessionRole {
  /** The COM_CHANGE_USER being answered, or null (confined to the event loop). */
  private Attempt attempt;
  /** Failed attempts on this connection, which MariaDB limits. */
  private int failures;

  /** One COM_CHANGE_USER: what the client asked for, and the authentication answering it. */
  private record Attempt(ChangeUserRequest request, AuthExchange exchange) {}

  ChangeUserFlow(RelaySession session, SessionContext context, SessionParts parts) {
    super(session, context, parts);
  }

  /** The client sent COM_CHANGE_USER. */
  void begin(Buffer payload) {
    ClientLogin login = session.login();
    ChangeUserRequest request = ChangeUserRequest.decode(payload, login.capabilities(), login.collation());
    AuthExchange exchange = new AuthExchange(context.services(), context.client(), request.username(),
        login.challenge());
    attempt = new Attempt(request, exchange);
    session.phase(Phase.CHANGE_USER_AUTH);
    if (!session.backend().identity().mariaDb()) {
      onOutcome(exchange.begin(request.authPluginName(), request.authResponse(), 0));
    } else if (failures >= ChangeUserDenial.ALLOWED_FAILURES) {
      deny(ErrPacket.of(ErrorCode.UNKNOWN_COM_ERROR, "Unknown command"), 1);
    } else {
      onOutcome(exchange.beginWithFreshChallenge(request.authResponse(), 0));
    }
  }

  /** The client's next authentication packet. */
  void onClientPacket(Buffer payload, int sequenceId) {
    onOutcome(attempt.exchange().onClientPacket(payload, sequenceId));
  }

  private void onOutcome(AuthExchange.Outcome outcome) {
    boolean denied = switch (outcome) {
      case CONTINUE -> false; // the exchange wrote its next request; the client answers
      case ACCEPTED -> {
        connect();
        yield false;
      }
      case DENIED -> true;
    };
    if (denied) {
      context.metrics().authFailure();
      deny(attempt.exchange().denial(), attempt.exchange().nextSequence());
    }
  }

  /** MySQL ends the connection after a failed COM_CHANGE_USER; MariaDB resets the session and keeps it. */
  private void deny(ErrPacket error, int sequence) {
    BackendConnection backend = session.backend();
    if (!backend.identity().mariaDb()) {
      session.endings().end(error, sequence);
      return;
    }
    failures++;
    session.phase(Phase.CHANGE_USER_CONNECTING);
    context.client().pause(ClientConnection.PAUSED_BUSY);
    SessionState after = ChangeUserDenial.stateAfter(parts.learner().state());
    ChangeUserDenial.reset(context.vertx(), backend, after, context.deprecateEof(), parts.stateTracker().tracks())
        .onComplete(reset -> {
          if (session.phase() != Phase.CLOSED && reset.failed()) {
            session.endings().end(ErrPacket.from(reset.cause()), sequence);
          } else if (session.phase() != Phase.CLOSED) {
            session.listen();
            freshSession(after, reset.result());
            context.client().sendError(error, sequence);
            done();
          }
        });
  }

  private void connect() {
    session.phase(Phase.CHANGE_USER_CONNECTING);
    context.client().pause(ClientConnection.PAUSED_BUSY);
    ChangeUserRequest request = attempt.request();
    ClientLogin next = session.login().withUser(attempt.exchange().account(), request.database(),
        request.collation(), request.connectAttributes());
    int okSequence = attempt.exchange().nextSequence();
    SessionState fresh = SessionState.initial(request.database());
    context.connector().connect(next.toLoginRequest())
        .compose(connection -> SessionReplayer.replay(connection, fresh, context.deprecateEof(), context.id())
            .map(ids -> connection)
            .onFailure(failed -> connection.close()))
        .onComplete(connected -> {
          if (session.phase() == Phase.CLOSED) {
            if (connected.succeeded()) {
              connected.result().close();
            }
            return;
          }
          if (connected.failed()) {
            session.endings().end(ErrPacket.from(connected.cause()), okSequence);
            return;
          }
          BackendConnection backend = connected.result();
          session.replaceBackend(next, backend);
          freshSession(fresh, backend.statusFlags());
          context.client().write(OkPacket.of(backend.statusFlags()).encode(okSequence, context.clientTracksState()));
          done();
        });
  }

  /** The session starts over as {@code fresh}, no statement prepared, with the backend's status flags. */
  private void freshSession(SessionState fresh, int statusFlags) {
    parts.recorder().reset();
    parts.learner().state(fresh);
    parts.statementIds().clear();
    parts.tracker().statusFlags(statusFlags);
  }

  private void done() {
    attempt = null;
    session.becomeIdle();
    parts.idleLimit().responded(parts.learner().state());
    context.client().resume(ClientConnection.PAUSED_BUSY);
    session.drainQueue();
  }
}
