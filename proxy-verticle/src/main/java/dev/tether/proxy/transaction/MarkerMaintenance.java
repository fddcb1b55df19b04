package dev.tether.proxy.transaction;

import dev.tether.config.UserAccount;
import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.backend.BackendConnector;
import dev.tether.proxy.backend.InternalQuery;
import dev.tether.proxy.protocol.TextResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the commit-marker table on the primary, when the marker is on: creates it (idempotent, at
 * node start and again each cycle until it succeeds: a primary may still be read-only when the
 * node starts), and prunes markers older than the retention. Every node tries each cycle; a named
 * lock on the primary ({@code GET_LOCK(..., 0)}) lets one of them prune at a time and the others
 * skip. Pruning runs under READ COMMITTED in batches, so it takes no gap locks that would hold up
 * the sessions' marker inserts. A marker is needed only for the seconds between a lost COMMIT and
 * its lookup; the retention (10 minutes by default) is far longer than any hold window.
 */
public final class MarkerMaintenance {
  private static final Logger log = LoggerFactory.getLogger(MarkerMaintenance.class);
  static final String PRUNE_LOCK = "tether_ha.commit_markers.prune";
  static final int BATCH = 10_000;

  private final Vertx vertx;
  private final Context context;
  private final BackendConnector connector;
  private final UserAccount account;
  private final Duration retention;
  /** Confined to {@link #context}. */
  private boolean tableReady;
  private long timer = -1;

  public MarkerMaintenance(Vertx vertx, BackendConnector connector, UserAccount account, Duration retention) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.connector = connector;
    this.account = account;
    this.retention = retention;
  }

  /** Creates the table now, then runs a cycle every half retention (at most every minute). */
  public void start() {
    long period = Math.max(1000, Math.min(60_000, retention.toMillis() / 2));
    context.runOnContext(ignored -> {
      cycle();
      timer = vertx.setPeriodic(period, id -> cycle());
    });
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void cycle() {
    Future<Void> ready = tableReady ? Future.succeededFuture() : ensureTable().mapEmpty();
    ready.compose(ignored -> pruneOnce())
        .onFailure(e -> log.debug("commit markers: {}", e.getMessage()));
  }

  /** Creates tether_ha.commit_markers if it does not exist; completes with true once it does. */
  public Future<Boolean> ensureTable() {
    return withConnection(backend -> run(backend, CommitMarker.createStatements(), 0).map(ok -> {
      if (!tableReady) {
        log.info("commit markers: table {} ready", CommitMarker.TABLE);
      }
      tableReady = true;
      return true;
    }));
  }

  /** Deletes markers older than the retention; completes with the rows deleted, or -1 when another node is pruning. */
  public Future<Long> pruneOnce() {
    return withConnection(backend -> InternalQuery.run(backend, "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
        .compose(ignored -> InternalQuery.run(backend, "SELECT GET_LOCK('" + PRUNE_LOCK + "', 0)"))
        .compose(lock -> {
          if (lock.isError() || lock.rows().isEmpty() || !"1".equals(text(lock))) {
            return Future.succeededFuture(-1L);
          }
          return deleteBatches(backend, 0).compose(deleted ->
              InternalQuery.run(backend, "DO RELEASE_LOCK('" + PRUNE_LOCK + "')").map(released -> deleted));
        }));
  }

  private Future<Long> deleteBatches(BackendConnection backend, long deletedSoFar) {
    return InternalQuery.run(backend, CommitMarker.pruneSql(retention, BATCH)).compose(result -> {
      if (result.isError()) {
        return Future.failedFuture(result.error().toException());
      }
      long deleted = result.ok().affectedRows();
      return deleted < BATCH ? Future.succeededFuture(deletedSoFar + deleted)
          : deleteBatches(backend, deletedSoFar + deleted);
    });
  }

  private static String text(TextResult result) {
    byte[] value = result.rows().get(0).get(0);
    return value == null ? null : new String(value, java.nio.charset.StandardCharsets.US_ASCII);
  }

  private Future<Void> run(BackendConnection backend, List<String> statements, int index) {
    if (index == statements.size()) {
      return Future.succeededFuture();
    }
    return InternalQuery.run(backend, statements.get(index)).compose(result -> result.isError()
        ? Future.failedFuture(result.error().toException())
        : run(backend, statements, index + 1));
  }

  private <T> Future<T> withConnection(java.util.function.Function<BackendConnection, Future<T>> work) {
    return InternalQuery.connect(connector, account)
        .compose(backend -> work.apply(backend).andThen(done -> backend.close()));
  }
}
