package dev.tether.proxy.accounts;

import dev.tether.config.UserAccount;
import dev.tether.proxy.backend.BackendIdentity;
import java.util.List;
import java.util.Optional;

/** Where a server flavor keeps its accounts: the query that reads them, and what one row means. */
public interface AccountFlavor {
  /** Reads every account the proxy may authenticate. */
  String query();

  /** The account of one row, or empty when the proxy must not authenticate it (locked, expired, another plugin...). */
  Optional<UserAccount> account(List<byte[]> row);

  /** The grant tables of the server that greeted with {@code server}. */
  static AccountFlavor of(BackendIdentity server) {
    return switch (server.flavor()) {
      case MARIADB -> new MariaDbAccounts();
      case MYSQL -> new MySqlAccounts();
    };
  }
}
