package dev.tether.proxy.session;

import dev.tether.proxy.node.Rejection;
import dev.tether.proxy.protocol.ErrPacket;
import dev.tether.proxy.protocol.ErrorCode;

/**
 * The session's own bounds, checked on the node's tick: the node's idle timeout between commands,
 * the backend's response timeout while it owes an answer, and the read timeout while the client
 * owes the rest of a command. (The client's own wait_timeout is {@link IdleLimit}'s.)
 */
final class SessionDeadlines extends SessionRole {
  private final long idleTimeoutMillis;
  private final long responseTimeoutMillis;
  private long idleSinceMillis;
  private long lastBackendMillis;

  SessionDeadlines(RelaySession session, SessionContext context, SessionParts parts) {
    super(session, context, parts);
    this.idleTimeoutMillis = context.services().config().proxy().idleTimeout().toMillis();
    this.responseTimeoutMillis = context.connector().config().responseTimeout().toMillis();
    this.idleSinceMillis = context.now();
    this.lastBackendMillis = idleSinceMillis;
  }

  /** The session went idle now. */
  void idle() {
    idleSinceMillis = context.now();
  }

  /** The backend was heard from (or is now awaited): the response timeout counts from here. */
  void backendActive() {
    lastBackendMillis = context.now();
  }

  /** Ends the session when the bound its phase is under has passed. */
  void onTick(long nowMillis) {
    Phase phase = session.phase();
    ErrPacket timedOut = switch (phase) {
      case IDLE -> nowMillis - idleSinceMillis > idleTimeoutMillis
          ? rejected(Rejection.IDLE_TIMEOUT, ErrPacket.of(ErrorCode.CLIENT_INTERACTION_TIMEOUT,
              "The client was disconnected by the server because of inactivity."))
          : null;
      case AWAITING, REFRESHING, STARTING -> nowMillis - lastBackendMillis > responseTimeoutMillis
          ? rejected(Rejection.BACKEND_RESPONSE_TIMEOUT, ErrPacket.of(ErrorCode.BACKEND_UNAVAILABLE,
              "Tether: backend sent nothing for " + responseTimeoutMillis / 1000 + " s"))
          : null;
      case RECEIVING, UPLOADING, CHANGE_USER_AUTH ->
          nowMillis - context.client().lastActivityMillis() > responseTimeoutMillis
          ? ErrPacket.of(ErrorCode.NET_READ_INTERRUPTED, "Got timeout reading communication packets")
          : null;
      case RECONNECTING, HELD, KILL_LOOKUP, CHANGE_USER_CONNECTING, CLOSED -> null; // bounded elsewhere, or over
    };
    if (timedOut != null) { // between commands the error answers nothing: its sequence starts at 0
      session.endings().end(timedOut, phase == Phase.IDLE ? 0 : parts.command().nextSequenceToClient());
    }
  }

  /** Counts the session turned away by {@code bound}, and gives the error it is told. */
  private ErrPacket rejected(Rejection bound, ErrPacket error) {
    context.metrics().rejected(bound);
    return error;
  }
}
