package dev.tether.proxy.accounts;

import dev.tether.proxy.backend.BackendIdentity;
import java.util.List;
import java.util.Optional;

/** Where a server flavor keeps its accounts: the query that reads them, and what one row means. */
public interface AccountFlavor {
  /** Reads every account row, with its host. */
  String query();

  /** The row as the proxy judges it; empty only for a row that names no user. */
  Optional<HostAccount> account(List<byte[]> row);

  /** The grant tables of the server that greeted with {@code server}. */
  static AccountFlavor of(BackendIdentity server) {
    return switch (server.flavor()) {
      case MARIADB -> new MariaDbAccounts();
      case MYSQL -> new MySqlAccounts();
    };
  }
}
