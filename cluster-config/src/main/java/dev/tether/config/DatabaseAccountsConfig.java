package dev.tether.config;

import java.time.Duration;

/**
 * Application accounts read from the primary's grant tables: whether to, as which user (it needs
 * SELECT on mysql.global_priv), how often to re-read them, and the least time between two reads
 * (a login by an unknown user asks for one, so a flood of unknown names costs one read per interval).
 */
public record DatabaseAccountsConfig(boolean enabled, String user, String password, Duration refresh,
                                     Duration minInterval) {
  @Override
  public String toString() {
    return "DatabaseAccountsConfig[enabled=" + enabled + ", user=" + user + ", refresh=" + refresh + "]";
  }
}
