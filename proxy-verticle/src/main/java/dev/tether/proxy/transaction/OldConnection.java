package dev.tether.proxy.transaction;

import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.backend.InternalQuery;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * Waits until a lost connection's thread is gone from the server the session reconnected to, when
 * that is the same server: until then its transaction may still hold locks (a replay would wait on
 * them) or its COMMIT may still run (a marker lookup could answer "absent" too early). Polls
 * {@code information_schema.PROCESSLIST}; after a restart in place an unrelated thread may carry
 * the same id, which only makes the wait run to its bound (the caller then treats the outcome as
 * unknown, or the replay as failed), never wrong.
 */
public final class OldConnection {
  private static final long POLL_MILLIS = 20;

  private OldConnection() {}

  /** Completes with true once thread {@code threadId} is gone, false when {@code bound} passes first. */
  public static Future<Boolean> gone(Vertx vertx, BackendConnection on, long threadId, Duration bound) {
    return gone(vertx, on, threadId, System.nanoTime() + bound.toNanos());
  }

  static Future<Boolean> gone(Vertx vertx, BackendConnection on, long threadId, long deadlineNanos) {
    Promise<Boolean> done = Promise.promise();
    poll(vertx, on, threadId, deadlineNanos, done);
    return done.future();
  }

  private static void poll(Vertx vertx, BackendConnection on, long threadId, long deadline, Promise<Boolean> done) {
    InternalQuery.run(on, "SELECT ID FROM information_schema.PROCESSLIST WHERE ID = " + threadId)
        .onFailure(done::tryFail)
        .onSuccess(result -> {
          if (result.isError()) {
            done.tryFail(result.error().toException());
          } else if (result.rows().isEmpty()) {
            done.tryComplete(true);
          } else if (System.nanoTime() + POLL_MILLIS * 1_000_000 > deadline) {
            done.tryComplete(false);
          } else {
            vertx.setTimer(POLL_MILLIS, id -> poll(vertx, on, threadId, deadline, done));
          }
        });
  }
}
