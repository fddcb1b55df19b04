package dev.tether.proxy.accounts;

import dev.tether.config.UserAccount;
import dev.tether.proxy.protocol.AuthScramble;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * MariaDB 10.4+ accounts in {@code mysql.global_priv} (one JSON document per user and host). Only
 * accounts that any host may use ({@code Host = '%'}), with mysql_native_password and a stored
 * hash, whose password has not expired, are authenticated; every other account is left to the
 * configuration ({@code users[]}), so a host pattern the proxy cannot judge never lets a client in.
 * A locked account is kept: the server checks the password first and then refuses the login with
 * 4151, and so does the proxy (its backend login is refused and the error relayed), as the server would.
 *
 * @see <a href="https://mariadb.com/kb/en/mysql-global_priv-table/">mysql.global_priv</a>
 */
public final class MariaDbAccounts implements AccountFlavor {
  @Override
  public String query() {
    return "SELECT User, JSON_VALUE(Priv, '$.plugin'), JSON_VALUE(Priv, '$.authentication_string'),"
        + " IFNULL(JSON_VALUE(Priv, '$.password_last_changed'), '1')"
        + " FROM mysql.global_priv WHERE Host = '%' AND User <> ''";
  }

  @Override
  public Optional<UserAccount> account(List<byte[]> row) {
    String user = text(row.get(0));
    String plugin = text(row.get(1));
    byte[] hash = AuthScramble.parseNativeHash(text(row.get(2)));
    boolean expired = "0".equals(text(row.get(3))); // ALTER USER ... PASSWORD EXPIRE sets it to 0
    if (user == null || !"mysql_native_password".equals(plugin) || hash == null || expired) {
      return Optional.empty();
    }
    return Optional.of(UserAccount.fromNativeHash(user, hash));
  }

  private static String text(byte[] value) {
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }
}
