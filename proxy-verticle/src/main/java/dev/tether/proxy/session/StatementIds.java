package dev.tether.proxy.session;

import dev.tether.proxy.protocol.Command;
import dev.tether.proxy.protocol.CommandView;
import dev.tether.proxy.protocol.StmtExecute;
import dev.tether.proxy.protocol.StmtPrepareOk;
import io.vertx.core.buffer.Buffer;
import java.util.Set;

/**
 * Statement-id translation in both directions, in one place. The client keeps the ids it was
 * first given; after a reconnection the backend's differ. Client to backend: the five id-carrying
 * commands are rewritten (and an execute that rightly omitted its parameter types gets them back
 * when the new backend never saw them). Backend to client: a COM_STMT_PREPARE_OK gets an id the
 * client does not already hold. The ids themselves, and what each statement has on the current
 * connection, are the {@link BackendStatements}'s. Confined to the session's event loop.
 */
final class StatementIds {
  private final BackendStatements statements;
  /** The client id of the statement prepared last: MariaDB's "last prepared" id names it. */
  private long lastPreparedClientId = -1;

  StatementIds(BackendStatements statements) {
    this.statements = statements;
  }

  BackendStatements statements() {
    return statements;
  }

  /** The client id a command names; MariaDB's "last prepared" id resolves to that statement. */
  long clientId(CommandView command) {
    long id = command.statementId();
    return id == BackendStatements.LAST_PREPARED && lastPreparedClientId >= 0 ? lastPreparedClientId : id;
  }

  /**
   * The frame as the current backend must see it: {@code frame} itself when nothing changes,
   * otherwise a new frame, so the client's own bytes stay as they came (for a resend).
   * {@code state} knows each statement's parameter count.
   */
  Buffer toBackend(CommandView command, Buffer payload, Buffer frame, SessionState state) {
    if (command.statementId() < 0 || statements.isEmpty()) {
      return frame;
    }
    long clientId = clientId(command);
    long backendId = statements.backendId(clientId);
    byte[] types = command.command() == Command.COM_STMT_EXECUTE ? statements.typesToInject(clientId) : null;
    if (backendId == command.statementId() && types == null) {
      return frame;
    }
    Buffer rewritten = frame.copy();
    Buffer rewrittenPayload = rewritten.slice(frame.length() - payload.length(), frame.length());
    rewrittenPayload.setUnsignedIntLE(1, backendId);
    SessionState.PreparedStatement statement = state.preparedStatements().get(clientId);
    if (types == null || command.continued() || statement == null) {
      return rewritten;
    }
    StmtExecute layout = StmtExecute.of(statement.paramCount());
    if (layout.boundFlag(rewrittenPayload) != 0) {
      return rewritten;
    }
    statements.rememberTypes(clientId, types);
    return layout.withTypes(rewrittenPayload, types);
  }

  /**
   * A command the node answered without sending it (a notice a reconnection left, lost long data).
   * A client sends an execute's parameter types once and then omits them, whatever the answer was
   * (libmariadb and libmysqlclient clear their flag as they send), so the types of an execute the
   * backend never saw are kept here, to be injected into the next execute of that statement.
   */
  void answeredByNode(CommandView command, Buffer payload, SessionState state) {
    if (command.command() != Command.COM_STMT_EXECUTE) {
      return;
    }
    long clientId = clientId(command);
    SessionState.PreparedStatement statement = state.preparedStatements().get(clientId);
    if (statement == null || statement.paramCount() == 0) {
      return;
    }
    StmtExecute layout = StmtExecute.of(statement.paramCount());
    if (layout.sendsTypes(payload)) {
      statements.typesNotForwarded(clientId, payload.getBytes(layout.typesFrom(), layout.typesTo()));
    }
  }

  /**
   * A COM_STMT_PREPARE_OK on its way to the client: the id the client gets for it (the backend's
   * unless a statement from before a reconnection holds that one), written into {@code payload}.
   */
  long toClient(Buffer payload, StmtPrepareOk ok, Set<Long> clientIdsInUse) {
    long clientId = statements.assignClientId(ok.statementId(), clientIdsInUse);
    if (clientId != ok.statementId()) {
      payload.setUnsignedIntLE(1, clientId); // the client sees its own id space
    }
    lastPreparedClientId = clientId;
    return clientId;
  }

  /** After a reconnection: where each client id now lives. */
  void remap(java.util.Map<Long, Long> clientToBackend) {
    statements.remap(clientToBackend);
  }

  /** A reset or a new user: no statement survives. */
  void clear() {
    statements.clear();
  }
}
