package dev.tether.proxy.accounts;

import static dev.tether.proxy.accounts.AccountFlavor.text;

import java.util.List;

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
  public HostAccount judge(String user, String host, List<byte[]> row) {
    String ssl = text(row, 5) == null ? "" : text(row, 5);
    return HostAccount.judge(user, host, text(row, 2), text(row, 3), "Y".equals(text(row, 4)),
        ssl.equals("ANY"), ssl.equals("X509") || ssl.equals("SPECIFIED"));
  }
}
