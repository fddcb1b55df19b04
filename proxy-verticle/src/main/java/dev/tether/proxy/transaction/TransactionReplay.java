package dev.tether.proxy.transaction;

import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.protocol.Command;
import dev.tether.proxy.protocol.Packets;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a recorded transaction again on a backend connection whose session state is already
 * rebuilt, and proves it is the same: first LAST_INSERT_ID as the transaction began (when a
 * statement read it) and its one-shot SET TRANSACTION characteristics, then every recorded
 * statement byte for byte (BEGIN / START TRANSACTION ... included, so read only and consistent
 * snapshot come back as written), with only the statement ids mapped to the new connection's and
 * parameter types put back where the client had sent them before the transaction. Each response's
 * digest must equal the original's.
 *
 * <p>Statements go one at a time, not pipelined: if one failed and the server ended the
 * transaction (a deadlock), pipelined successors would run and commit on their own. Any
 * difference, error or the time bound: ROLLBACK (or, past the bound, the connection is closed) and
 * the reason is returned. All equal: REPLAYED, the transaction is open on the new connection and
 * the caller sends the client's pending command, if any.
 *
 * <p>Borrows the connection's frames and close handler; the caller takes them back when the
 * future completes. Runs on the connection's event loop.
 */
public final class TransactionReplay {
  private static final Logger log = LoggerFactory.getLogger(TransactionReplay.class);

  private final BackendConnection backend;
  private final ReplayExchange exchange;
  private final List<JournalEntry> entries;
  private final StatementTranslator ids;
  private final Promise<ReplayResult> done = Promise.promise();

  private TransactionReplay(BackendConnection backend, List<JournalEntry> entries, StatementTranslator ids) {
    this.backend = backend;
    this.exchange = new ReplayExchange(backend);
    this.entries = entries;
    this.ids = ids;
  }

  /** Replays {@code journal} on {@code backend} within {@code bound}. */
  public static Future<ReplayResult> run(Vertx vertx, BackendConnection backend, TransactionJournal journal,
                                         StatementTranslator ids, Duration bound) {
    return switch (journal.state()) {
      case IDLE -> Future.succeededFuture(ReplayResult.replayed(0, -1));
      case REFUSED -> Future.succeededFuture(ReplayResult.notReplayable(journal.refusal()));
      case RECORDING -> {
        TransactionReplay replay = new TransactionReplay(backend, List.copyOf(journal.entries()), ids);
        long timer = vertx.setTimer(Math.max(1, bound.toMillis()), id -> replay.timedOut(bound));
        replay.start(preface(journal));
        yield replay.done.future().andThen(result -> vertx.cancelTimer(timer));
      }
    };
  }

  /** What replay sends before the statements: SQL the proxy builds from parsed values, never client text. */
  static List<String> preface(TransactionJournal journal) {
    List<String> sql = new ArrayList<>();
    if (journal.readsLastInsertId()) {
      sql.add("DO LAST_INSERT_ID(" + Long.toUnsignedString(journal.lastInsertIdAtStart()) + ")");
    }
    TransactionCharacteristics next = journal.characteristics();
    if (next != null && (next.isolation() != null || next.accessMode() != null)) {
      sql.add(next.sql());
    }
    return sql;
  }

  private void start(List<String> preface) {
    Future<Void> chain = Future.succeededFuture();
    for (String sql : preface) {
      chain = chain.compose(ignored -> exchange.send(query(sql)).compose(response -> response.errorCode() == 0
          ? Future.<Void>succeededFuture()
          : Future.failedFuture(new Failed(ReplayOutcome.SERVER_ERROR, -1, "'" + sql + "' failed with " + response.errorCode()))));
    }
    chain.onSuccess(ignored -> step(0)).onFailure(this::fail);
  }

  private void step(int index) {
    if (done.future().isComplete()) {
      return;
    }
    if (index == entries.size()) {
      log.debug("replayed {} statement(s) on {}", entries.size(), backend.address());
      done.tryComplete(ReplayResult.replayed(entries.size(), exchange.statusFlags()));
      return;
    }
    JournalEntry entry = entries.get(index);
    Buffer payload;
    try {
      payload = forBackend(entry, ids);
    } catch (Failed f) {
      fail(new Failed(f.outcome, index, f.getMessage()));
      return;
    }
    exchange.send(payload).onSuccess(response -> {
      if (entry.expectsResponse() && response.digest() != entry.digest()) {
        fail(new Failed(response.errorCode() != 0 ? ReplayOutcome.SERVER_ERROR : ReplayOutcome.MISMATCH, index,
            "statement " + (index + 1) + " of " + entries.size() + " returned "
                + (response.errorCode() != 0 ? "error " + response.errorCode() : "a different result") + " on replay"));
      } else {
        step(index + 1);
      }
    }).onFailure(this::fail);
  }

  /** The recorded payload with its statement id mapped to the new connection, and omitted types put back. */
  static Buffer forBackend(JournalEntry entry, StatementTranslator ids) {
    Buffer payload = entry.payload();
    if (entry.clientStatementId() < 0) {
      return payload;
    }
    long backendId = ids.backendId(entry.clientStatementId());
    if (backendId < 0) {
      throw new Failed(ReplayOutcome.STATEMENT_UNKNOWN, -1, "prepared statement " + entry.clientStatementId()
          + " is not on the new connection");
    }
    Buffer copy = payload.copy();
    copy.setUnsignedIntLE(1, backendId);
    byte[] types = entry.typesToInject();
    if (types == null || entry.command() != Command.COM_STMT_EXECUTE || copy.length() >= Packets.MAX_FRAME_PAYLOAD) {
      return copy;
    }
    int params = types.length / 2;
    int flagAt = 10 + (params + 7) / 8;
    if (copy.length() <= flagAt || copy.getUnsignedByte(flagAt) != 0) {
      return copy;
    }
    return Buffer.buffer(copy.length() + types.length)
        .appendBuffer(copy, 0, flagAt)
        .appendByte((byte) 1)
        .appendBytes(types)
        .appendBuffer(copy, flagAt + 1, copy.length() - flagAt - 1);
  }

  private void timedOut(Duration bound) {
    if (done.tryComplete(ReplayResult.failed(ReplayOutcome.TIMEOUT, -1, "the replay ran past " + bound.toMillis()
        + " ms", -1))) {
      exchange.abandon(new Failed(ReplayOutcome.TIMEOUT, -1, "timed out"));
      backend.close(); // a statement is still running there: the server rolls the transaction back
    }
  }

  private void fail(Throwable failure) {
    if (done.future().isComplete()) {
      return;
    }
    ReplayOutcome outcome = failure instanceof Failed f ? f.outcome
        : failure instanceof ReplayExchange.ConnectionLost ? ReplayOutcome.CONNECTION_LOST : ReplayOutcome.SERVER_ERROR;
    int statement = failure instanceof Failed f ? f.statement : -1;
    String detail = String.valueOf(failure.getMessage());
    if (outcome == ReplayOutcome.CONNECTION_LOST || backend.isClosed()) {
      done.tryComplete(ReplayResult.failed(outcome, statement, detail, -1));
      return;
    }
    exchange.send(query("ROLLBACK")).onComplete(rolledBack -> done.tryComplete(
        ReplayResult.failed(outcome, statement, detail, exchange.statusFlags())));
  }

  private static Buffer query(String sql) {
    return Buffer.buffer().appendByte((byte) Command.COM_QUERY).appendString(sql);
  }

  /** A replay step that decided the outcome. */
  private static final class Failed extends RuntimeException {
    final ReplayOutcome outcome;
    final int statement;

    Failed(ReplayOutcome outcome, int statement, String message) {
      super(message, null, false, false);
      this.outcome = outcome;
      this.statement = statement;
    }
  }
}
