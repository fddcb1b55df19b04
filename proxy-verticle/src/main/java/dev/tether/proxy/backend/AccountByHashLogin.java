package dev.tether.proxy.backend;

import dev.tether.config.AuthPlugin;
import dev.tether.config.UserAccount;
import dev.tether.proxy.protocol.AuthScramble;
import dev.tether.proxy.protocol.ErrorCode;

/**
 * The backend proof for an account read from the database, which the proxy knows by hashes only:
 * mysql_native_password needs nothing but SHA1(password), learned from the client's own proof.
 * Any other plugin would need the clear password, which the proxy never had.
 */
final class AccountByHashLogin {
  private AccountByHashLogin() {}

  static byte[] proof(UserAccount account, AuthPlugin plugin, byte[] challenge) {
    if (plugin != AuthPlugin.MYSQL_NATIVE_PASSWORD) {
      throw ErrorCode.ACCESS_DENIED.exception("Tether: account '" + account.name() + "' is read from the database's"
          + " grant tables and can be logged in only with mysql_native_password; the server asked for "
          + plugin.wireName() + ". Configure the account in users[] to use another plugin.");
    }
    if (account.nativeStage1() == null) {
      throw ErrorCode.ACCESS_DENIED.exception("Tether: account '" + account.name() + "' has not logged in through this"
          + " node yet, so the node cannot log it into a backend");
    }
    return AuthScramble.nativePasswordFromStage1(account.nativeStage1(), challenge);
  }
}
