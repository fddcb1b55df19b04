package dev.tether.proxy.session;

import dev.tether.proxy.transaction.TransactionCharacteristics;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Everything a MySQL session carries that a new backend connection must be given, as an immutable
 * value. Each part holds only what the client changed, and a dirty bit says which parts differ from
 * a fresh connection, so replay sends only those. Replaced wholesale on every change (changes are
 * rare next to queries); confined to the session's event loop.
 */
public record SessionState(
    String schema,
    Map<String, String> systemVariables,
    Map<String, UserVariable> userVariables,
    long lastInsertId,
    Map<Long, PreparedStatement> preparedStatements,
    Map<String, String> sqlPrepared,
    Set<String> temporaryTables,
    TransactionCharacteristics nextTransaction,
    int dirty) {

  public static final int SYSTEM_VARIABLES = 1;
  public static final int USER_VARIABLES = 1 << 1;
  public static final int LAST_INSERT_ID = 1 << 2;
  public static final int PREPARED_STATEMENTS = 1 << 3;
  public static final int SQL_PREPARED = 1 << 4;
  public static final int TEMPORARY_TABLES = 1 << 5;
  public static final int NEXT_TRANSACTION = 1 << 6;

  /** A user variable as the server typed it; strings keep their exact bytes, character set and collation. */
  public record UserVariable(String type, String charset, String collation, byte[] value) {}

  /** A server-side prepared statement as the client knows it (its id is the map key). */
  public record PreparedStatement(String sql, int paramCount, int columnCount) {}

  public static SessionState initial(String schema) {
    return new SessionState(schema, Map.of(), Map.of(), 0, Map.of(), Map.of(), Set.of(), null, 0);
  }

  public boolean isDirty(int part) {
    return (dirty & part) != 0;
  }

  /** How many items replay would have to rebuild: what the history cap counts. */
  public int size() {
    return systemVariables.size() + userVariables.size() + preparedStatements.size() + sqlPrepared.size()
        + temporaryTables.size();
  }

  /** Bytes of text and values replay would have to send: what the history byte cap counts. */
  public long bytes() {
    long total = 0;
    for (PreparedStatement statement : preparedStatements.values()) {
      total += statement.sql().length();
    }
    for (String text : sqlPrepared.values()) {
      total += text.length();
    }
    for (UserVariable variable : userVariables.values()) {
      total += variable.value() == null ? 0 : variable.value().length;
    }
    for (String value : systemVariables.values()) {
      total += value == null ? 0 : value.length();
    }
    return total;
  }

  public SessionState withSchema(String newSchema) {
    return new SessionState(newSchema, systemVariables, userVariables, lastInsertId, preparedStatements, sqlPrepared,
        temporaryTables, nextTransaction, dirty);
  }

  public SessionState withSystemVariable(String name, String value) {
    Map<String, String> vars = new LinkedHashMap<>(systemVariables);
    vars.remove(name);
    vars.put(name, value);
    return new SessionState(schema, Collections.unmodifiableMap(vars), userVariables, lastInsertId, preparedStatements,
        sqlPrepared, temporaryTables, nextTransaction, dirty | SYSTEM_VARIABLES);
  }

  public SessionState withUserVariables(Map<String, UserVariable> vars) {
    return new SessionState(schema, systemVariables, Collections.unmodifiableMap(new LinkedHashMap<>(vars)), lastInsertId,
        preparedStatements, sqlPrepared, temporaryTables, nextTransaction, flag(USER_VARIABLES, !vars.isEmpty()));
  }

  public SessionState withLastInsertId(long id) {
    return new SessionState(schema, systemVariables, userVariables, id, preparedStatements, sqlPrepared, temporaryTables,
        nextTransaction, flag(LAST_INSERT_ID, id != 0));
  }

  public SessionState withPrepared(long clientId, PreparedStatement statement) {
    Map<Long, PreparedStatement> statements = new LinkedHashMap<>(preparedStatements);
    statements.put(clientId, statement);
    return new SessionState(schema, systemVariables, userVariables, lastInsertId, Collections.unmodifiableMap(statements),
        sqlPrepared, temporaryTables, nextTransaction, dirty | PREPARED_STATEMENTS);
  }

  public SessionState withoutPrepared(long clientId) {
    if (!preparedStatements.containsKey(clientId)) {
      return this;
    }
    Map<Long, PreparedStatement> statements = new LinkedHashMap<>(preparedStatements);
    statements.remove(clientId);
    return new SessionState(schema, systemVariables, userVariables, lastInsertId, Collections.unmodifiableMap(statements),
        sqlPrepared, temporaryTables, nextTransaction, flag(PREPARED_STATEMENTS, !statements.isEmpty()));
  }

  public SessionState withSqlPrepared(String name, String statement) {
    Map<String, String> prepared = new LinkedHashMap<>(sqlPrepared);
    if (statement == null) {
      prepared.remove(name);
    } else {
      prepared.put(name, statement);
    }
    return new SessionState(schema, systemVariables, userVariables, lastInsertId, preparedStatements,
        Collections.unmodifiableMap(prepared), temporaryTables, nextTransaction, flag(SQL_PREPARED, !prepared.isEmpty()));
  }

  public SessionState withTemporaryTable(String name, boolean exists) {
    Set<String> tables = new LinkedHashSet<>(temporaryTables);
    if (exists) {
      tables.add(name);
    } else if (!tables.remove(name)) {
      return this;
    }
    return new SessionState(schema, systemVariables, userVariables, lastInsertId, preparedStatements, sqlPrepared,
        Collections.unmodifiableSet(tables), nextTransaction, flag(TEMPORARY_TABLES, !tables.isEmpty()));
  }

  public SessionState withNextTransaction(TransactionCharacteristics value) {
    return new SessionState(schema, systemVariables, userVariables, lastInsertId, preparedStatements, sqlPrepared,
        temporaryTables, value, flag(NEXT_TRANSACTION, value != null));
  }

  /** What COM_RESET_CONNECTION leaves: the schema, and the prepared statements are gone too. */
  public SessionState afterReset() {
    return initial(schema);
  }

  private int flag(int part, boolean set) {
    return set ? dirty | part : dirty & ~part;
  }
}
