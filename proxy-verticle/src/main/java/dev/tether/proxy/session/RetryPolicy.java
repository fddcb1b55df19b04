package dev.tether.proxy.session;

import dev.tether.proxy.protocol.Command;
import dev.tether.proxy.protocol.CommandView;
import dev.tether.proxy.protocol.Keyword;
import dev.tether.proxy.protocol.QueryScan;
import dev.tether.proxy.protocol.ServerStatus;
import io.vertx.core.buffer.Buffer;

/**
 * The one rule for re-sending a command whose backend connection died under it.
 *
 * <p>A command is re-sent on the new connection only if (1) no byte of its response reached the
 * client, so the client cannot have seen half an answer, and (2) it cannot have changed data: the
 * session was outside a transaction when it was sent (nothing earlier is lost with the connection)
 * and the command is a read. A write whose response never came may or may not have been applied
 * before the server died; re-sending could apply it twice, so it is never re-sent.
 *
 * <p>"Read" is decided from the command and the statement's leading keyword. A SELECT that calls a
 * function with side effects is not recognised as a write: the documented limit of this rule.
 */
final class RetryPolicy {
  private RetryPolicy() {}

  /**
   * Whether a statement lost inside a transaction certainly leaves it rolled back. COMMIT, and
   * anything that commits implicitly (BEGIN, DDL, SET autocommit=1, ...), may have committed before
   * the server died: its outcome is unknown, and saying "rolled back" could be a lie.
   */
  static boolean cannotHaveCommitted(CommandView command, SessionState state) {
    return switch (command.command()) {
      case Command.COM_QUERY -> command.keyword().neverCommits();
      case Command.COM_STMT_EXECUTE -> statementKeyword(command, state).neverCommits();
      default -> true;
    };
  }

  static boolean mayResend(CommandView command, boolean responseStarted, int statusBeforeCommand, SessionState state) {
    if (responseStarted || (statusBeforeCommand & ServerStatus.IN_TRANS) != 0) {
      return false;
    }
    return switch (command.command()) {
      case Command.COM_QUERY -> command.keyword().isRead();
      case Command.COM_STMT_EXECUTE -> statementKeyword(command, state).isRead();
      case Command.COM_PING, Command.COM_STATISTICS, Command.COM_FIELD_LIST, Command.COM_INIT_DB,
           Command.COM_STMT_PREPARE, Command.COM_STMT_RESET, Command.COM_SET_OPTION -> true;
      default -> false;
    };
  }

  static boolean cannotHaveCommitted(Buffer command, SessionState state) {
    return cannotHaveCommitted(CommandView.read(command, false), state);
  }

  static boolean mayResend(Buffer command, boolean responseStarted, int statusBeforeCommand, SessionState state) {
    return mayResend(CommandView.read(command, false), responseStarted, statusBeforeCommand, state);
  }

  /** The leading keyword of the prepared statement an execute names (NONE when the session has no such statement). */
  private static Keyword statementKeyword(CommandView execute, SessionState state) {
    SessionState.PreparedStatement statement = state.preparedStatements().get(execute.statementId());
    return statement == null ? Keyword.NONE
        : QueryScan.keyword(Buffer.buffer().appendByte((byte) 0).appendString(statement.sql(), "UTF-8"));
  }
}
