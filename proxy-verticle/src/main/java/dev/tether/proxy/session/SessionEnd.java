package dev.tether.proxy.session;

import dev.tether.proxy.node.Rejection;
import dev.tether.proxy.protocol.ErrPacket;
import dev.tether.proxy.protocol.ErrorCode;
import dev.tether.proxy.protocol.ProtocolException;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every way a session ends, in one place: the client quits or goes, a protocol violation, a bug,
 * the client's own wait_timeout, or an error the session cannot get past. Each closes both
 * connections once and tells a switchover waiting for its sessions. Confined to the event loop.
 */
final class SessionEnd extends SessionRole {
  private static final Logger log = LoggerFactory.getLogger(SessionEnd.class);


  SessionEnd(RelaySession session, SessionContext context, SessionParts parts) {
    super(session, context, parts);
  }

  /** COM_QUIT: passed on, and both connections closed. */
  void quit(Buffer frame) {
    session.switchover().discardStaged();
    session.phase(Phase.CLOSED);
    session.backend().write(frame);
    session.backend().close();
    context.client().close();
    context.changed();
  }

  /** The client's socket closed: a statement still running is cancelled, since the server may run it long after. */
  void clientClosed() {
    parts.idleLimit().stop();
    session.switchover().discardStaged();
    Phase phase = session.phase();
    if (phase != Phase.CLOSED) {
      if (phase == Phase.AWAITING || phase == Phase.UPLOADING) {
        QueryCanceller.cancel(context.connector(), session.login(), session.backend(), context.deprecateEof(),
            context.metrics().registry());
      }
      session.phase(Phase.CLOSED);
      session.backend().close();
      context.changed();
    }
  }

  /**
   * Something this code did not expect: logged as a bug and counted, or, for bytes no peer should
   * send (a ProtocolException), counted as a protocol error; the session ends cleanly.
   */
  void failed(String where, RuntimeException e) {
    if (e instanceof ProtocolException) {
      log.info("session {}: malformed {} in {}: {}", context.id(), where, session.phase(), e.getMessage());
      context.metrics().protocolError();
    } else {
      log.error("BUG: session {} in {} while handling a {}: {}", context.id(), session.phase(), where, e.toString(),
          e);
      context.metrics().bug("relay_session");
    }
    end(ErrPacket.of(ErrorCode.BACKEND_UNAVAILABLE, "Tether: internal error, the session was closed: " + e),
        parts.command().nextSequenceToClient());
  }

  void violation(ErrorCode code, String message, int sequenceId) {
    context.metrics().protocolError();
    end(ErrPacket.of(code, message), (sequenceId + 1) & 0xFF);
  }

  /** The client's own wait_timeout passed: closed as its server would (MariaDB: a reset; MySQL 8: ERR 4031). */
  void expireIdle() {
    context.metrics().rejected(Rejection.WAIT_TIMEOUT);
    end(session.backend().identity().mariaDb() ? null : ErrPacket.of(ErrorCode.CLIENT_INTERACTION_TIMEOUT,
        "The client was disconnected by the server because of inactivity."), 0);
  }

  /** Ends the session with {@code error}, or with a reset and nothing sent when it is null. */
  void end(ErrPacket error, int sequenceId) {
    if (session.phase() == Phase.CLOSED) {
      return;
    }
    session.phase(Phase.CLOSED);
    session.switchover().discardStaged();
    session.relay().flush();
    session.backend().close();
    context.changed();
    if (error == null) {
      context.client().abort();
    } else {
      context.client().closeWithError(error, sequenceId);
    }
  }
}
