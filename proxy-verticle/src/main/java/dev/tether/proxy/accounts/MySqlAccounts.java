package dev.tether.proxy.accounts;

import dev.tether.config.UserAccount;
import dev.tether.proxy.protocol.AuthScramble;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * MySQL 8 accounts in {@code mysql.user}. As for MariaDB: only accounts any host may use
 * ({@code Host = '%'}), with mysql_native_password and a stored hash, whose password has not been
 * expired ({@code password_expired = 'Y'}), are authenticated; the rest is left to {@code users[]}.
 * A locked account is kept: the server refuses its backend login (3118) and the proxy relays that.
 * MySQL 8's default, caching_sha2_password, stores a salted hash the proxy cannot verify against.
 *
 * @see <a href="https://dev.mysql.com/doc/refman/8.0/en/grant-tables.html">grant tables</a>
 */
public final class MySqlAccounts implements AccountFlavor {
  @Override
  public String query() {
    return "SELECT User, plugin, authentication_string, password_expired FROM mysql.user"
        + " WHERE Host = '%' AND User <> ''";
  }

  @Override
  public Optional<UserAccount> account(List<byte[]> row) {
    String user = text(row.get(0));
    String plugin = text(row.get(1));
    byte[] hash = AuthScramble.parseNativeHash(text(row.get(2)));
    boolean expired = "Y".equals(text(row.get(3)));
    if (user == null || !"mysql_native_password".equals(plugin) || hash == null || expired) {
      return Optional.empty();
    }
    return Optional.of(UserAccount.fromNativeHash(user, hash));
  }

  private static String text(byte[] value) {
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }
}
