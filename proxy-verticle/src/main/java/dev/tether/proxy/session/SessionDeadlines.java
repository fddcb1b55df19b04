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

  void onTick(long nowMillis) {
    switch (session.phase()) {
      case IDLE -> {
        if (nowMillis - idleSinceMillis > idleTimeoutMillis) {
          context.metrics().rejected(Rejection.IDLE_TIMEOUT);
          session.endings().end(ErrPacket.of(ErrorCode.CLIENT_INTERACTION_TIMEOUT,
              "The client was disconnected by the server because of inactivity."), 0);
        }
      }
      case AWAITING, REFRESHING, STARTING -> {
        if (nowMillis - lastBackendMillis > responseTimeoutMillis) {
          context.metrics().rejected(Rejection.BACKEND_RESPONSE_TIMEOUT);
          session.endings().end(ErrPacket.of(ErrorCode.BACKEND_UNAVAILABLE, "Tether: backend sent nothing for "
              + responseTimeoutMillis / 1000 + " s"), parts.command().nextSequenceToClient());
        }
      }
      case RECEIVING, UPLOADING, CHANGE_USER_AUTH -> {
        if (nowMillis - context.client().lastActivityMillis() > responseTimeoutMillis) {
          session.endings().end(ErrPacket.of(ErrorCode.NET_READ_INTERRUPTED, "Got timeout reading communication packets"),
              parts.command().nextSequenceToClient());
        }
      }
      case RECONNECTING, HELD, KILL_LOOKUP, CHANGE_USER_CONNECTING, CLOSED -> { }
    }
  }
}
