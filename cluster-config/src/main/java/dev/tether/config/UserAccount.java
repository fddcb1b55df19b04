package dev.tether.config;

import java.util.Objects;

/**
 * A user the proxy authenticates and logs into backends as. The proxy must be able to log the same
 * user into any backend later, so it holds the password itself.
 */
public record UserAccount(String name, String password, AuthPlugin authPlugin) {
  public UserAccount {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(authPlugin, "authPlugin");
  }

  @Override
  public String toString() {
    return "UserAccount[" + name + ", " + authPlugin.wireName() + "]"; // never the password
  }
}
