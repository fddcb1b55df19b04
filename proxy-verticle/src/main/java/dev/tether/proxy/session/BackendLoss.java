package dev.tether.proxy.session;

import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.backend.BackendConnector;
import dev.tether.proxy.protocol.ErrPacket;
import dev.tether.proxy.protocol.ServerError;
import io.vertx.core.Future;

/**
 * Why a backend connection ended: a {@code KILL} (a decision, which ends the session as it would
 * on the server) or anything else (healed). Measured against MariaDB 10.11 with a raw socket: a
 * killed connection, idle or busy, gets no packet, only a FIN (the killer shuts the socket down
 * before the victim can send ER_CONNECTION_KILLED; a connection that kills itself does get 1927);
 * a shutdown also closes with a bare FIN, but the server closes its listener first; the server's
 * own wait_timeout ends with a reset; a network loss is a reset or silence. So: a reset, a
 * shutdown error, a moved target or a server that no longer answers is a loss to heal; a bare FIN
 * from a server that still answers, on the target the session follows, is a kill. A middlebox
 * between node and server that closes with FIN looks like a kill; a reset does not.
 */
public final class BackendLoss {
  private static final int ER_CONNECTION_KILLED = ServerError.CONNECTION_KILLED;
  private static final int ER_SERVER_SHUTDOWN = ServerError.SERVER_SHUTDOWN;

  /** What ended the connection. */
  public enum Outcome {
    /** KILL CONNECTION by a client or an operator: the session ends. */
    KILLED,
    /** The server is shutting down or restarting (ER_SERVER_SHUTDOWN, or it does not answer now). */
    SERVER_GONE,
    /** The node follows a newer target: a switchover or failover, or the coordinator fencing the old primary. */
    SWITCHED,
    /** Reset by the network or by the server's idle timeout. */
    NETWORK;

    /** Whether the session is rebuilt on a new backend connection. */
    public boolean heals() {
      return switch (this) {
        case KILLED -> false;
        case SERVER_GONE, SWITCHED, NETWORK -> true;
      };
    }
  }

  private BackendLoss() {}

  /**
   * Classifies the end of {@code lost}; {@code said} is the connection-ending ERR the server sent
   * before closing, or null. May ask the server for its greeting (one connect, loopback-fast).
   */
  public static Future<Outcome> classify(BackendConnection lost, ErrPacket said, BackendConnector connector) {
    boolean moved = lost.target().epoch() < connector.target().epoch()
        || !lost.target().address().equals(connector.target().address());
    Outcome known = decide(said == null ? 0 : said.errorCode(), moved, lost.endedByReset());
    return known != null ? Future.succeededFuture(known) : connector.probe().map(answered(true)).otherwise(answered(false));
  }

  /**
   * The decision, from what is known without asking the server: {@code saidCode} is the error code
   * of the ERR the server sent before closing (0: none), {@code targetMoved} whether the node now
   * follows another target, {@code endedByReset} whether the socket ended with a reset. Null when
   * only the server can tell: then {@link #answered} decides by whether it still greets.
   */
  static Outcome decide(int saidCode, boolean targetMoved, boolean endedByReset) {
    if (saidCode == ER_SERVER_SHUTDOWN) {
      return Outcome.SERVER_GONE;
    }
    if (targetMoved) {
      return Outcome.SWITCHED;
    }
    if (saidCode == ER_CONNECTION_KILLED) {
      return Outcome.KILLED;
    }
    if (endedByReset) {
      return Outcome.NETWORK;
    }
    return null;
  }

  /** A bare FIN: a server that still answers closed this one connection (a KILL); one that does not is gone. */
  static Outcome answered(boolean serverAnswers) {
    return serverAnswers ? Outcome.KILLED : Outcome.SERVER_GONE;
  }
}
