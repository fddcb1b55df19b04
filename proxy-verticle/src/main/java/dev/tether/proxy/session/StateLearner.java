package dev.tether.proxy.session;

import dev.tether.proxy.protocol.Command;
import dev.tether.proxy.protocol.CommandView;
import dev.tether.proxy.protocol.Keyword;
import dev.tether.proxy.protocol.OkHeader;
import dev.tether.proxy.protocol.OkPacket;
import dev.tether.proxy.protocol.QueryScan;
import dev.tether.proxy.protocol.ResponseTracker;
import dev.tether.proxy.protocol.ServerStatus;
import dev.tether.proxy.protocol.SessionStateChange;
import dev.tether.proxy.protocol.StmtExecute;
import dev.tether.proxy.protocol.StmtPrepareOk;
import dev.tether.proxy.transaction.TransactionCharacteristics;
import io.vertx.core.buffer.Buffer;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps a session's {@link SessionState} current. It learns from what the server reports in OK
 * packets (schema, every changed system variable, insert ids) and, where the server only says
 * "state changed" or nothing, from the command itself (prepared statements, PREPARE/DEALLOCATE,
 * temporary tables, SET TRANSACTION) or by asking the server afterwards (user variables and
 * LAST_INSERT_ID, see {@link #refreshWanted()}). Confined to the session's event loop.
 */
final class StateLearner implements StateTracker {
  private static final Pattern SQL_PREPARE = Pattern.compile("(?is)^\\s*PREPARE\\s+(`[^`]+`|\\w+)\\s+FROM\\s.*");
  private static final Pattern SQL_DEALLOCATE = Pattern.compile("(?is)^\\s*(?:DEALLOCATE|DROP)\\s+PREPARE\\s+(`[^`]+`|\\w+).*");
  private static final Pattern CREATE_TEMPORARY = Pattern.compile(
      "(?is)^\\s*CREATE\\s+(?:OR\\s+REPLACE\\s+)?TEMPORARY\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?("
          + TableName.PATTERN + ").*");
  private static final Pattern DROP_TABLE = Pattern.compile(
      "(?is)^\\s*DROP\\s+(?:TEMPORARY\\s+)?TABLES?\\s+(?:IF\\s+EXISTS\\s+)?(" + TableName.LIST_PATTERN
          + ")\\s*(?:RESTRICT|CASCADE)?\\s*;?\\s*$");

  /**
   * Session variables the server reports but that cannot be set, so replay must not try: last_gtid
   * changes with every write under '*' tracking. Tether's own session_track_* settings are excluded
   * separately.
   */
  private static final java.util.Set<String> READ_ONLY = java.util.Set.of("last_gtid", "in_transaction",
      "warning_count", "error_count", "external_user", "proxy_user", "rand_seed1", "rand_seed2");

  /** What a command will change once it succeeds, when the server does not report it. */
  private enum Pending { NONE, PREPARE, SQL_PREPARE, SQL_DEALLOCATE, CREATE_TEMPORARY, DROP_TABLES, RESET, EXECUTE, FETCH,
    NEXT_TRANSACTION }


  private final StatementIds ids;
  private final BackendStatements statements;
  private SessionState state;
  private Pending pending = Pending.NONE;
  private String pendingText;
  private TransactionCharacteristics pendingCharacteristics;
  private long pendingStatement;
  private boolean pendingCursor;
  private boolean failed;
  private boolean refreshWanted;
  private boolean trackingNarrowed;
  /** Why the state is not fully known (user variables that could not be read back); null when it is. */
  private String lostState;
  StateLearner(SessionState initial, BackendStatements statements) {
    this(initial, new StatementIds(statements));
  }

  StateLearner(SessionState initial, StatementIds ids) {
    this.state = initial;
    this.ids = ids;
    this.statements = ids.statements();
  }

  SessionState state() {
    return state;
  }

  @Override
  public boolean tracks() {
    return true;
  }

  void state(SessionState replaced) {
    state = replaced;
  }

  /** True when user variables or LAST_INSERT_ID may have changed without the server saying how. */
  @Override
  public boolean refreshWanted() {
    return refreshWanted;
  }

  void refreshed(SessionState withFreshValues) {
    state = withFreshValues;
    refreshWanted = false;
    trackingNarrowed = false;
    lostState = null;
  }

  /** The read-back failed: the values held are stale, so the session must not be rebuilt from them. */
  void refreshFailed(String why) {
    refreshWanted = false;
    trackingNarrowed = false;
    lostState = why;
  }

  String lostState() {
    return lostState;
  }

  /**
   * True when the client narrowed session_track_system_variables (MariaDB Connector/J does at
   * connect): the server would stop reporting most variables, so the proxy sets '*' again.
   */
  boolean trackingNarrowed() {
    return trackingNarrowed;
  }

  /** The first frame of a command about to be sent: notes what it will change once it succeeds. */
  void onCommand(Buffer payload) {
    onCommand(CommandView.read(payload, true), payload);
  }

  /** As {@link #onCommand(Buffer)}, for a command already read into {@code command}. */
  @Override
  public void onCommand(CommandView command, Buffer payload) {
    pending = Pending.NONE;
    failed = false;
    switch (command.command()) {
      case Command.COM_QUERY -> onQuery(command, payload);
      case Command.COM_STMT_PREPARE -> {
        pending = Pending.PREPARE;
        pendingText = payload.getString(1, payload.length(), "UTF-8");
      }
      case Command.COM_STMT_EXECUTE -> {
        pending = Pending.EXECUTE;
        pendingStatement = clientStatementId(command);
        pendingCursor = command.cursorRequested();
        statements.longDataConsumed(pendingStatement);
        rememberTypes(payload, pendingStatement);
      }
      case Command.COM_STMT_FETCH -> {
        pending = Pending.FETCH;
        pendingStatement = clientStatementId(command);
      }
      case Command.COM_STMT_SEND_LONG_DATA -> statements.longDataSent(clientStatementId(command));
      case Command.COM_STMT_RESET -> {
        long id = clientStatementId(command);
        statements.longDataConsumed(id);
        statements.cursorClosed(id);
      }
      case Command.COM_STMT_CLOSE -> {
        long id = clientStatementId(command);
        state = state.withoutPrepared(id);
        statements.closed(id);
      }
      case Command.COM_RESET_CONNECTION -> pending = Pending.RESET;
      default -> { }
    }
  }

  /** Follows one backend frame of the response; {@code flags} are the tracker's verdict on it. */
  @Override
  public void onResponseFrame(int flags, Buffer payload, int statusFlags) {
    if ((flags & ResponseTracker.ERR_PACKET) != 0) {
      failed = true;
      return;
    }
    if ((flags & ResponseTracker.PREPARE_OK) != 0 && pending == Pending.PREPARE) {
      onPrepareOk(payload);
      return;
    }
    if ((flags & ResponseTracker.OK_PACKET) != 0) {
      onOk(payload);
    } else if ((flags & ResponseTracker.STATUS) != 0 && (statusFlags & ServerStatus.SESSION_STATE_CHANGED) != 0) {
      refreshWanted = true; // an EOF cannot say what changed
    }
    if ((flags & ResponseTracker.STATUS) != 0) {
      if ((statusFlags & ServerStatus.IN_TRANS) != 0 && state.nextTransaction() != null) {
        state = state.withNextTransaction(null); // the characteristics were used by the transaction now open
      }
      if (pending == Pending.EXECUTE && pendingCursor && (statusFlags & ServerStatus.CURSOR_EXISTS) != 0) {
        statements.cursorOpened(pendingStatement);
      } else if (pending == Pending.FETCH && (statusFlags & ServerStatus.LAST_ROW_SENT) != 0) {
        statements.cursorClosed(pendingStatement);
      }
    }
  }

  /** The response ended: applies what the command changed, unless it failed. */
  @Override
  public void onComplete() {
    if (!failed) {
      state = switch (pending) {
        case SQL_PREPARE -> state.withSqlPrepared(nameOf(pendingText, SQL_PREPARE), pendingText);
        case SQL_DEALLOCATE -> state.withSqlPrepared(nameOf(pendingText, SQL_DEALLOCATE), null);
        case CREATE_TEMPORARY -> withTemporaryTables(CREATE_TEMPORARY, true);
        case DROP_TABLES -> withTemporaryTables(DROP_TABLE, false);
        case NEXT_TRANSACTION -> state.withNextTransaction(state.nextTransaction() == null
            ? pendingCharacteristics : state.nextTransaction().then(pendingCharacteristics));
        case RESET -> {
          statements.clear();
          refreshWanted = false;
          lostState = null;
          yield state.afterReset();
        }
        case NONE, PREPARE, EXECUTE, FETCH -> state; // learned as the response went by, or nothing to learn
      };
    }
    pending = Pending.NONE;
  }

  private long clientStatementId(CommandView command) {
    return ids.clientId(command);
  }

  private void onQuery(CommandView query, Buffer payload) {
    if (query.has(QueryScan.SETS_LAST_INSERT_ID) || query.has(QueryScan.ASSIGNS_USER_VARIABLE)) {
      refreshWanted = true;
    }
    Keyword keyword = query.keyword();
    if (keyword == Keyword.SET && query.has(QueryScan.MENTIONS_SESSION_TRACK)) {
      // The server may not report this change: the proxy restores full tracking after it runs.
      trackingNarrowed = true;
      refreshWanted = true;
    }
    if (keyword == Keyword.SET && query.has(QueryScan.MENTIONS_TRANSACTION)) {
      pendingCharacteristics = SetTransactionStatement.parse(payload, backslashEscapes());
      if (pendingCharacteristics != null) {
        pending = Pending.NEXT_TRANSACTION; // one-shot characteristics for the next transaction only
        return;
      }
    }
    pending = switch (keyword) {
      case PREPARE -> {
        pendingText = SqlText.firstStatement(payload, backslashEscapes()); // re-sent as the server ran it
        yield SQL_PREPARE.matcher(pendingText).matches() ? Pending.SQL_PREPARE : Pending.NONE;
      }
      case DEALLOCATE -> {
        pendingText = SqlText.statement(payload);
        yield SQL_DEALLOCATE.matcher(pendingText).matches() ? Pending.SQL_DEALLOCATE : Pending.NONE;
      }
      case DROP -> {
        pendingText = SqlText.statement(payload);
        if (SQL_DEALLOCATE.matcher(pendingText).matches()) {
          yield Pending.SQL_DEALLOCATE;
        }
        yield DROP_TABLE.matcher(pendingText).matches() && !state.temporaryTables().isEmpty() ? Pending.DROP_TABLES
            : Pending.NONE;
      }
      case CREATE -> {
        pendingText = SqlText.statement(payload);
        yield CREATE_TEMPORARY.matcher(pendingText).matches() ? Pending.CREATE_TEMPORARY : Pending.NONE;
      }
      // the server reports what these change, or they change no session state
      case NONE, OTHER, SELECT, SHOW, DESCRIBE, DESC, EXPLAIN, HELP, INSERT, UPDATE, DELETE, REPLACE, DO, VALUES, WITH,
           SAVEPOINT, RELEASE, SET, ROLLBACK, GET -> Pending.NONE;
    };
  }

  private void onPrepareOk(Buffer payload) {
    StmtPrepareOk ok = StmtPrepareOk.decode(payload);
    long clientId = ids.toClient(payload, ok, state.preparedStatements().keySet());
    state = state.withPrepared(clientId, new SessionState.PreparedStatement(pendingText, ok.paramCount(), ok.columnCount()));
    pending = Pending.NONE;
  }

  private void onOk(Buffer payload) {
    OkHeader header = OkHeader.read(payload);
    long insertId = header.lastInsertId();
    int status = header.statusFlags();
    if (insertId != 0) {
      state = state.withLastInsertId(insertId);
    }
    if ((status & ServerStatus.SESSION_STATE_CHANGED) == 0) {
      return;
    }
    OkPacket ok = OkPacket.decodeTracked(payload);
    if (ok.sessionStateChanges() == null) {
      refreshWanted = true;
      return;
    }
    for (SessionStateChange change : SessionStateChange.decode(ok.sessionStateChanges())) {
      state = switch (change.type()) {
        case SYSTEM_VARIABLE -> withSystemVariable(change.name().toLowerCase(Locale.ROOT), change.value());
        case SCHEMA -> state.withSchema(change.value().isEmpty() ? null : change.value());
        case STATE_CHANGE -> {
          refreshWanted = true;
          yield state;
        }
        case TRANSACTION_CHARACTERISTICS, GTIDS, TRANSACTION_STATE, UNKNOWN -> state;
      };
    }
  }

  /** The state with a variable the server reported; Tether's own tracking settings and read-only ones are not kept. */
  private SessionState withSystemVariable(String name, String value) {
    if (!name.startsWith("session_track_") && !READ_ONLY.contains(name)) {
      return state.withSystemVariable(name, value);
    }
    if (name.equals("session_track_system_variables") && !"*".equals(value)) {
      trackingNarrowed = true;
      refreshWanted = true;
    }
    return state;
  }

  /** False when the session's sql_mode makes a backslash an ordinary character in string literals. */
  private boolean backslashEscapes() {
    String mode = state.systemVariables().get("sql_mode");
    return mode == null || !mode.toUpperCase(Locale.ROOT).contains("NO_BACKSLASH_ESCAPES");
  }

  /** Keeps the parameter types of an execute that sends them (new-params-bound flag 1). */
  private void rememberTypes(Buffer payload, long clientId) {
    SessionState.PreparedStatement statement = state.preparedStatements().get(clientId);
    if (statement == null || statement.paramCount() == 0) {
      return;
    }
    StmtExecute layout = StmtExecute.of(statement.paramCount());
    if (layout.sendsTypes(payload) && !statements.hasTypes(clientId, payload, layout.typesFrom(), layout.typesTo())) {
      statements.rememberTypes(clientId, payload.getBytes(layout.typesFrom(), layout.typesTo())); // copied only when they change
    }
  }

  private SessionState withTemporaryTables(Pattern statement, boolean exist) {
    SessionState changed = state;
    Matcher m = statement.matcher(pendingText);
    if (m.matches()) {
      for (TableName table : TableName.parseList(m.group(1), changed.schema())) {
        changed = changed.withTemporaryTable(table.quoted(), exist);
      }
    }
    return changed;
  }

  private static String nameOf(String text, Pattern pattern) {
    Matcher m = pattern.matcher(text);
    return m.matches() ? normalise(m.group(1)) : "";
  }

  private static String normalise(String identifier) {
    return identifier.trim().replace("`", "").toLowerCase(Locale.ROOT);
  }
}
