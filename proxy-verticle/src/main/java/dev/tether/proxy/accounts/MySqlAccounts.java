package dev.tether.proxy.accounts;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * MySQL 8 accounts in {@code mysql.user}, judged as for MariaDB (see {@link MariaDbAccounts}): rows
 * with mysql_native_password and a stored hash, whose password has not been expired
 * ({@code password_expired = 'Y'}) and that require no client certificate, are authenticated;
 * {@code ssl_type = 'ANY'} asks for TLS; every other row refuses the clients it would match. A locked
 * account is kept: the server refuses its backend login (3118) and the proxy relays that. MySQL 8's
 * default, caching_sha2_password, stores a salted hash the proxy cannot verify against.
 *
 * @see <a href="https://dev.mysql.com/doc/refman/8.0/en/grant-tables.html">grant tables</a>
 */
public final class MySqlAccounts implements AccountFlavor {
  @Override
  public String query() {
    return "SELECT User, Host, plugin, authentication_string, password_expired, ssl_type FROM mysql.user"
        + " WHERE User <> ''";
  }

  @Override
  public Optional<HostAccount> account(List<byte[]> row) {
    String user = text(row.get(0));
    String host = text(row.get(1));
    if (user == null || host == null) {
      return Optional.empty();
    }
    String ssl = text(row.get(5)) == null ? "" : text(row.get(5));
    return Optional.of(HostAccount.judge(user, host, text(row.get(2)), text(row.get(3)), "Y".equals(text(row.get(4))),
        ssl.equals("ANY"), ssl.equals("X509") || ssl.equals("SPECIFIED")));
  }

  private static String text(byte[] value) {
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }
}
