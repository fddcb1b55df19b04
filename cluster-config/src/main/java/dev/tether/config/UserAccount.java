package dev.tether.config;

import java.util.Objects;

/**
 * A user the proxy authenticates and logs into backends as. The proxy must be able to log the same
 * user into any backend later, so it holds either the password itself (users of the configuration)
 * or, for mysql_native_password accounts read from the database's grant tables, the stored hash
 * SHA1(SHA1(password)) ({@code nativeHash}, enough to verify a client) plus, once a client has
 * logged in, the first stage SHA1(password) learned from its proof ({@code nativeStage1}, enough to
 * log into a backend). Neither stage is the clear password; both stay in this node's memory.
 */
public record UserAccount(String name, String password, AuthPlugin authPlugin, byte[] nativeHash, byte[] nativeStage1) {
  public UserAccount {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(authPlugin, "authPlugin");
    if (nativeHash == null) {
      Objects.requireNonNull(password, "password");
    } else if (password != null || authPlugin != AuthPlugin.MYSQL_NATIVE_PASSWORD) {
      throw new IllegalArgumentException("an account known by its hash has no password and uses mysql_native_password");
    }
  }

  /** A user with its password, as the configuration gives it. */
  public UserAccount(String name, String password, AuthPlugin authPlugin) {
    this(name, password, authPlugin, null, null);
  }

  /** A mysql_native_password account read from the database: its stored SHA1(SHA1(password)) only. */
  public static UserAccount fromNativeHash(String name, byte[] nativeHash) {
    return new UserAccount(name, null, AuthPlugin.MYSQL_NATIVE_PASSWORD, nativeHash.clone(), null);
  }

  /** This account with the first stage a client's proof revealed. */
  public UserAccount withNativeStage1(byte[] stage1) {
    return new UserAccount(name, password, authPlugin, nativeHash, stage1.clone());
  }

  /** True for an account read from the database, known by its hash. */
  public boolean knownByHash() {
    return nativeHash != null;
  }

  @Override
  public String toString() {
    return "UserAccount[" + name + ", " + authPlugin.wireName() + (knownByHash() ? ", from the database" : "")
        + "]"; // never the password or a hash
  }
}
