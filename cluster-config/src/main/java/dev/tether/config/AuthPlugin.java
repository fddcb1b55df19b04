package dev.tether.config;

/** The authentication plugins Tether can verify on its frontend and speak to backends. */
public enum AuthPlugin {
  MYSQL_NATIVE_PASSWORD("mysql_native_password"),
  CACHING_SHA2_PASSWORD("caching_sha2_password"),
  /** MariaDB's ed25519 (the server plugin's name is also accepted in configuration). */
  ED25519("client_ed25519");

  private final String wireName;

  AuthPlugin(String wireName) {
    this.wireName = wireName;
  }

  /** The name as it travels in handshake and auth-switch packets. */
  public String wireName() {
    return wireName;
  }

  /** The plugin for a wire name, or null when Tether does not speak it. */
  public static AuthPlugin fromWireName(String name) {
    for (AuthPlugin plugin : values()) {
      if (plugin.wireName.equals(name)) {
        return plugin;
      }
    }
    return null;
  }

  public static AuthPlugin parse(String name) {
    AuthPlugin plugin = "ed25519".equals(name) ? ED25519 : fromWireName(name);
    if (plugin == null) {
      throw new IllegalArgumentException("unknown auth plugin '" + name + "'");
    }
    return plugin;
  }
}
