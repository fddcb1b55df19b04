package dev.tether.proxy.accounts;

import dev.tether.proxy.backend.BackendIdentity;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** Where a server flavor keeps its accounts: the query that reads them, and what one row means. */
public interface AccountFlavor {
  /** Reads every account row, with its host. */
  String query();

  /** A row that names its user and host (columns 0 and 1), judged by this flavor's other columns. */
  HostAccount judge(String user, String host, List<byte[]> row);

  /** The row as the proxy judges it; empty only for a row that names no user or no host. */
  default Optional<HostAccount> account(List<byte[]> row) {
    String user = text(row, 0);
    String host = text(row, 1);
    return user == null || host == null ? Optional.empty() : Optional.of(judge(user, host, row));
  }

  /** Column {@code column} of {@code row} as UTF-8 text; null for SQL NULL. */
  static String text(List<byte[]> row, int column) {
    byte[] value = row.get(column);
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  /** The grant tables of the server that greeted with {@code server}. */
  static AccountFlavor of(BackendIdentity server) {
    return switch (server.flavor()) {
      case MARIADB -> new MariaDbAccounts();
      case MYSQL -> new MySqlAccounts();
    };
  }
}
