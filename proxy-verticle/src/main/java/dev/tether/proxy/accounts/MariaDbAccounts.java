package dev.tether.proxy.accounts;

import static dev.tether.proxy.accounts.AccountFlavor.text;

import java.util.List;

/**
 * MariaDB 10.4+ accounts in {@code mysql.global_priv} (one JSON document per user and host). Rows
 * with mysql_native_password and a stored hash, whose password has not expired and that require no
 * client certificate, are authenticated by the proxy; every other row refuses the clients it would
 * match (see {@link HostAccount}), so the configuration's {@code users[]} remains the way for them.
 * {@code REQUIRE SSL} (ssl_type 1) asks for a TLS client; {@code X509} and the specified-certificate
 * forms (2, 3) refuse, the proxy not checking client certificates. A locked account is kept: the
 * server checks the password first and then refuses the login with 4151, and so does the proxy
 * (its backend login is refused and the error relayed), as the server would.
 *
 * @see <a href="https://mariadb.com/kb/en/mysql-global_priv-table/">mysql.global_priv</a>
 */
public final class MariaDbAccounts implements AccountFlavor {
  @Override
  public String query() {
    return "SELECT User, Host, JSON_VALUE(Priv, '$.plugin'), JSON_VALUE(Priv, '$.authentication_string'),"
        + " IFNULL(JSON_VALUE(Priv, '$.password_last_changed'), '1'), IFNULL(JSON_VALUE(Priv, '$.ssl_type'), '0')"
        + " FROM mysql.global_priv WHERE User <> ''";
  }

  @Override
  public HostAccount judge(String user, String host, List<byte[]> row) {
    String ssl = text(row, 5);
    return HostAccount.judge(user, host, text(row, 2), text(row, 3),
        "0".equals(text(row, 4)), // ALTER USER ... PASSWORD EXPIRE sets password_last_changed to 0
        "1".equals(ssl), !"0".equals(ssl) && !"1".equals(ssl));
  }
}
