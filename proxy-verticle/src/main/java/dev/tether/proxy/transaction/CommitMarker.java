package dev.tether.proxy.transaction;

import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.backend.InternalQuery;
import dev.tether.proxy.protocol.TextResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * The commit marker: a random token the session writes into {@code tether_ha.commit_markers} inside
 * the transaction, pipelined just before its COMMIT, so that after losing the COMMIT's answer the
 * proxy can ask the new primary whether that transaction committed. The row commits with the
 * transaction or not at all: present means committed; absent means not committed, but only if
 * the marker's own INSERT was answered OK (otherwise it may have failed while the COMMIT went
 * through) and the old connection's thread is gone (otherwise its COMMIT may still be running).
 * Anything else is unknown. Same schema as the coordinator's {@code tether_ha.epochs}.
 */
public final class CommitMarker {
  public static final String SCHEMA = "tether_ha";
  public static final String TABLE = SCHEMA + ".commit_markers";
  private static final SecureRandom RANDOM = new SecureRandom();

  private CommitMarker() {}

  /** Whether the marker's INSERT was answered. */
  public enum Answer { UNANSWERED, OK, FAILED }

  /** One COMMIT's token and what became of its INSERT. */
  public record Token(byte[] bytes, Answer answer) {
    static Token fresh() {
      byte[] bytes = new byte[16];
      RANDOM.nextBytes(bytes);
      return new Token(bytes, Answer.UNANSWERED);
    }

    Token answered(boolean ok) {
      return new Token(bytes, ok ? Answer.OK : Answer.FAILED);
    }

    public String hex() {
      return HexFormat.of().formatHex(bytes);
    }
  }

  /** Creates the schema and table if needed (idempotent; run by every node at start and until it succeeds). */
  public static List<String> createStatements() {
    return List.of("CREATE DATABASE IF NOT EXISTS " + SCHEMA,
        "CREATE TABLE IF NOT EXISTS " + TABLE + " (token BINARY(16) NOT NULL PRIMARY KEY,"
            + " created TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), KEY created (created)) ENGINE=InnoDB");
  }

  /** The COM_QUERY payload the session pipelines just before COMMIT. */
  public static Buffer insert(Token token) {
    return Buffer.buffer().appendByte((byte) 0x03).appendString(insertSql(token));
  }

  static String insertSql(Token token) {
    return "INSERT INTO " + TABLE + " (token) VALUES (X'" + token.hex() + "')";
  }

  static String lookupSql(Token token) {
    return "SELECT 1 FROM " + TABLE + " WHERE token = X'" + token.hex() + "'";
  }

  /** Deletes one batch of markers older than {@code retention} (run under READ COMMITTED: no gap locks to block inserts). */
  static String pruneSql(Duration retention, int batch) {
    return "DELETE FROM " + TABLE + " WHERE created < NOW(3) - INTERVAL " + retention.toSeconds() + " SECOND LIMIT " + batch;
  }

  /**
   * Asks the backend (the new primary, session state rebuilt) what became of the transaction. When
   * the lost connection was to this same server, {@code oldThreadId} is its thread id (else -1): the
   * lookup first waits, within {@code bound}, for that thread to be gone, so a COMMIT still running
   * there cannot commit after the answer "absent". Runs on the caller's event loop.
   */
  public static Future<CommitResolution> resolve(Vertx vertx, BackendConnection backend, Token token,
                                                 long oldThreadId, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    Future<Boolean> gone = oldThreadId < 0 ? Future.succeededFuture(true)
        : OldConnection.gone(vertx, backend, oldThreadId, deadline);
    return gone.compose(isGone -> {
      if (!isGone) {
        return Future.succeededFuture(CommitResolution.UNKNOWN);
      }
      return InternalQuery.run(backend, lookupSql(token)).map(result -> decide(result, token));
    }).recover(failure -> Future.succeededFuture(CommitResolution.UNKNOWN));
  }

  static CommitResolution decide(TextResult lookup, Token token) {
    if (lookup.isError()) {
      return CommitResolution.UNKNOWN; // no table, no privilege, read error: nothing is proven
    }
    if (!lookup.rows().isEmpty()) {
      return CommitResolution.COMMITTED;
    }
    return token.answer() == Answer.OK ? CommitResolution.NOT_COMMITTED : CommitResolution.UNKNOWN;
  }
}
