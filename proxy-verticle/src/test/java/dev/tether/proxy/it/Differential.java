package dev.tether.proxy.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns what a client observes (result sets, update counts, warnings, errors) into plain values
 * that can be compared between a direct connection and one through the proxy.
 */
final class Differential {
  private Differential() {}

  /** Runs a scenario and captures everything it saw, or the error it ended with. */
  interface Scenario {
    List<Object> run(Connection connection) throws Exception;
  }

  static List<Object> capture(Connection connection, Scenario scenario) {
    try {
      return scenario.run(connection);
    } catch (SQLException e) {
      return List.of("ERROR", e.getErrorCode(), String.valueOf(e.getSQLState()), withoutConnectionId(e.getMessage()));
    } catch (Exception e) {
      return List.of("EXCEPTION", e.toString());
    }
  }

  /**
   * MariaDB Connector/J prefixes messages with the connection id, which differs by design, and
   * MySQL Connector/J appends stack traces of the client's own call path: both are dropped.
   */
  static String withoutConnectionId(String message) {
    if (message == null) {
      return null;
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).replaceFirst("^\\(conn=\\d+\\) ", "");
  }

  /** Every result of an executed statement: result sets as rows, update counts, warnings. */
  static List<Object> results(Statement statement, boolean isResultSet) throws SQLException {
    List<Object> out = new ArrayList<>();
    boolean rs = isResultSet;
    while (true) {
      if (rs) {
        try (ResultSet resultSet = statement.getResultSet()) {
          out.add(rows(resultSet));
        }
      } else {
        int count = statement.getUpdateCount();
        if (count == -1) {
          break;
        }
        out.add("updated " + count);
      }
      rs = statement.getMoreResults();
    }
    out.add(warnings(statement.getWarnings()));
    return out;
  }

  static List<List<Object>> rows(ResultSet resultSet) throws SQLException {
    ResultSetMetaData meta = resultSet.getMetaData();
    List<List<Object>> rows = new ArrayList<>();
    List<Object> header = new ArrayList<>();
    for (int c = 1; c <= meta.getColumnCount(); c++) {
      header.add(meta.getColumnLabel(c) + ":" + meta.getColumnTypeName(c));
    }
    rows.add(header);
    while (resultSet.next()) {
      List<Object> row = new ArrayList<>();
      for (int c = 1; c <= meta.getColumnCount(); c++) {
        byte[] bytes = resultSet.getBytes(c);
        row.add(bytes == null ? "NULL" : resultSet.getString(c) + " " + Arrays.hashCode(bytes));
      }
      rows.add(row);
    }
    return rows;
  }

  static List<String> warnings(SQLWarning warning) {
    List<String> out = new ArrayList<>();
    for (SQLWarning w = warning; w != null; w = w.getNextWarning()) {
      out.add(w.getErrorCode() + " " + w.getSQLState() + " " + w.getMessage());
    }
    return out;
  }
}
