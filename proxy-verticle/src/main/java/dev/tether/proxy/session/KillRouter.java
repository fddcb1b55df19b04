package dev.tether.proxy.session;

import dev.tether.cluster.Addresses;
import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.protocol.ErrPacket;
import dev.tether.proxy.protocol.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * Finds the session a {@code KILL n} names, wherever it lives in the fleet: the node number in the
 * id (see {@link ConnectionIds}) says which node owns it; a local session is looked up here, a
 * remote one by a request to the owner's kill address on the clustered event bus. The answer is
 * where the session's backend connection is now: server and thread id.
 *
 * <p>The kill itself is not done here: the killing session sends {@code KILL [QUERY] <thread>} on
 * its own backend connection (see {@link KillStatement#forBackend}). Tether logs every session in
 * as the client's own user, so the server then applies its own privilege rule to the killer's user
 * and the victim's thread, as if both had connected directly: the same user may kill its own
 * sessions, another user needs the server's privilege, and a refusal is the server's own error. The
 * proxy never kills anything itself, so it cannot let a user do more than the server would.
 */
public final class KillRouter {
  private static final long ASK_TIMEOUT_MILLIS = 2000;
  private static final int ER_QUERY_INTERRUPTED = dev.tether.proxy.protocol.ServerError.QUERY_INTERRUPTED;
  /** How long after a lookup the victim's 1317 counts as the answer to that KILL. */
  static final long ANNOUNCED_KILL_MILLIS = 3000;
  /**
   * How long the victim's 1317 waits so the killer hears its OK first, as it does from the server
   * (which answers the killer before the victim thread wakes). MySQL Connector/J depends on that
   * order: it marks a statement cancelled only once its KILL's OK is read, and reports a 1317 that
   * comes first as "interrupted" rather than "cancelled".
   */
  static final long KILLER_HEAD_START_MILLIS = 20;

  /** Where a session's backend connection is: {@code server} as host:port, and its thread id. */
  public record Victim(String server, long thread) {}

  /** What the killing session does: send {@code frame} (naming backend {@code thread}) to its backend, or answer {@code error}. */
  public record Routed(io.vertx.core.buffer.Buffer frame, ErrPacket error, long thread) {}

  private final Vertx vertx;
  private final SessionRegistry sessions;
  private final int node;
  private MessageConsumer<JsonObject> consumer;

  public KillRouter(Vertx vertx, SessionRegistry sessions, int node) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.node = node;
  }

  /** Answers other nodes' questions about this node's sessions. */
  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(Addresses.proxyKill(node),
        message -> findLocal(message.body().getLong("id", -1L)).onComplete(found -> message.reply(
            found.result() == null ? new JsonObject().put("found", false)
                : new JsonObject().put("found", true).put("server", found.result().server())
                    .put("thread", found.result().thread()))));
    return consumer.completion();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /**
   * The command a session whose backend is on {@code killerServer} sends for {@code kill}: the same
   * KILL naming the victim's backend thread, or ER 1094 when no session has the id. A victim on
   * another server (mid-switchover) cannot be killed from here: a thread id names a thread of one
   * server only. Never fails.
   */
  public Future<Routed> route(KillStatement kill, String killerServer) {
    return locate(kill.id()).otherwise((Victim) null).map(victim -> {
      if (victim == null) {
        return new Routed(null, unknownThread(kill.id()), 0);
      }
      if (!victim.server().equals(killerServer)) {
        return new Routed(null, ErrPacket.of(ErrorCode.BACKEND_UNAVAILABLE,
            "Tether: session " + kill.id() + " is moving to another server; retry the KILL"), 0);
      }
      return new Routed(kill.forBackend(victim.thread()), null, victim.thread());
    });
  }

  /** The session {@code id}'s backend connection now, or null when no session has that id. */
  public Future<Victim> locate(long id) {
    if (!ConnectionIds.isTether(id)) {
      return Future.succeededFuture(null);
    }
    int owner = ConnectionIds.nodeOf(id);
    if (owner == node) {
      return findLocal(id);
    }
    return vertx.eventBus().<JsonObject>request(Addresses.proxyKill(owner), new JsonObject().put("id", id),
            new DeliveryOptions().setSendTimeout(ASK_TIMEOUT_MILLIS))
        .map(reply -> reply.body().getBoolean("found", false)
            ? new Victim(reply.body().getString("server"), reply.body().getLong("thread")) : null)
        .otherwise((Victim) null); // no such node, or it did not answer: no such session, as the server says
  }

  private Future<Victim> findLocal(long id) {
    SessionRegistry.Entry entry = sessions.get(id);
    if (entry == null || entry.session() == null) {
      return Future.succeededFuture(null);
    }
    Promise<Victim> found = Promise.promise();
    entry.context().runOnContext(ignored -> {
      BackendConnection backend = entry.session() == null ? null : entry.session().currentBackend();
      found.complete(backend == null || backend.isClosed() ? null : new Victim(backend.address(), backend.threadId()));
    });
    return found.future();
  }

  /** Whether {@code payload} is the server's ER_QUERY_INTERRUPTED while a routed KILL is recent. */
  static boolean interruptsAnAnnouncedKill(io.vertx.core.buffer.Buffer payload, long announcedUntilMillis,
                                           long nowMillis) {
    return announcedUntilMillis != 0 && payload.length() >= 3 && payload.getUnsignedByte(0) == 0xFF
        && payload.getUnsignedShortLE(1) == ER_QUERY_INTERRUPTED && nowMillis < announcedUntilMillis;
  }

  /**
   * The server's refusal of a routed KILL (ER_NO_SUCH_THREAD, ER_KILL_DENIED_ERROR), naming the id
   * the client wrote instead of the backend thread it became, as the server would have.
   */
  static io.vertx.core.buffer.Buffer namingTheSession(io.vertx.core.buffer.Buffer payload, int sequenceId, long thread, long id) {
    ErrPacket error = ErrPacket.decode(payload);
    return new ErrPacket(error.errorCode(), error.sqlState(), error.message().replace(Long.toString(thread), Long.toString(id)))
        .encode(sequenceId);
  }

  /** ER_NO_SUCH_THREAD, as the server words it. */
  public static ErrPacket unknownThread(long id) {
    return ErrPacket.of(ErrorCode.NO_SUCH_THREAD, "Unknown thread id: " + id);
  }
}
