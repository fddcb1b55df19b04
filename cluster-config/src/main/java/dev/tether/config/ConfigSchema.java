package dev.tether.config;

import static dev.tether.config.ConfigRule.bool;
import static dev.tether.config.ConfigRule.file;
import static dev.tether.config.ConfigRule.integer;
import static dev.tether.config.ConfigRule.oneOf;
import static dev.tether.config.ConfigRule.port;
import static dev.tether.config.ConfigRule.section;
import static dev.tether.config.ConfigRule.text;
import static dev.tether.config.ConfigRule.textList;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The type and range of every configuration key ({@link ConfigKeys}), checked before the tree is
 * read: an unknown key (a typo), a wrong type, a port out of range or a missing file stops the
 * process with one line naming the key. A key added to {@link TetherConfig} must be declared here.
 */
public final class ConfigSchema {
  private static final long MAX_INT = Integer.MAX_VALUE;

  private ConfigSchema() {}

  /** The checked tree, normalised as {@link ConfigRule} says; throws {@link ConfigException}. */
  public static JsonObject check(JsonObject root) {
    return (JsonObject) root().check("", root);
  }

  private static ConfigRule root() {
    Map<String, ConfigRule> keys = new LinkedHashMap<>();
    keys.put(ConfigKeys.PROXY, proxy());
    keys.put(ConfigKeys.BACKEND, section(Map.of(
        ConfigKeys.BACKEND_HOST, text(),
        ConfigKeys.BACKEND_PORT, port(),
        ConfigKeys.BACKEND_CONNECT_TIMEOUT_MS, integer(1, MAX_INT),
        ConfigKeys.BACKEND_RESPONSE_TIMEOUT_S, integer(1, MAX_INT))));
    keys.put(ConfigKeys.SESSION, section(Map.of(
        ConfigKeys.SESSION_PERSISTENT, bool(),
        ConfigKeys.SESSION_HOLD_WINDOW_S, integer(0, MAX_INT),
        ConfigKeys.SESSION_HISTORY_CAP, integer(0, MAX_INT),
        ConfigKeys.SESSION_HISTORY_BYTES_CAP, integer(0, Long.MAX_VALUE),
        ConfigKeys.SESSION_TEMPORARY_TABLE_COPY_LIMIT, integer(0, SessionConfig.MAX_TEMPORARY_TABLE_COPY_LIMIT))));
    keys.put(ConfigKeys.CLUSTER, section(Map.of(
        ConfigKeys.CLUSTER_ENABLED, bool(),
        ConfigKeys.CLUSTER_NAME, text(),
        ConfigKeys.PROXY_HOST, text(),
        ConfigKeys.CLUSTER_PORT, port(),
        ConfigKeys.CLUSTER_MEMBERS, textList(),
        ConfigKeys.CLUSTER_NODE_ID, text(),
        ConfigKeys.CLUSTER_TLS, section(Map.of(
            ConfigKeys.TLS_ENABLED, bool(),
            ConfigKeys.TLS_CERT_PATH, file(),
            ConfigKeys.TLS_KEY_PATH, file(),
            ConfigKeys.TLS_TRUST_PATH, file())))));
    keys.put(ConfigKeys.COORDINATOR, coordinator());
    Map<String, ConfigRule> user = new LinkedHashMap<>();
    user.put(ConfigKeys.USER_NAME, text());
    ConfigRule.secret(user, ConfigKeys.USER_PASSWORD);
    user.put(ConfigKeys.USER_AUTH_PLUGIN, oneOf(authPlugins()));
    keys.put(ConfigKeys.USERS, ConfigRule.listOf(requiring(ConfigKeys.USER_NAME, section(user))));
    return section(keys);
  }

  private static ConfigRule proxy() {
    Map<String, ConfigRule> keys = new LinkedHashMap<>();
    keys.put(ConfigKeys.PROXY_HOST, text());
    keys.put(ConfigKeys.PROXY_PORT, port());
    keys.put(ConfigKeys.PROXY_HTTP_PORT, port());
    keys.put(ConfigKeys.PROXY_EVENT_LOOPS, integer(1, 1024));
    keys.put(ConfigKeys.PROXY_MAX_CONNECTIONS, integer(1, MAX_INT));
    keys.put(ConfigKeys.PROXY_HANDSHAKE_TIMEOUT_MS, integer(1, MAX_INT));
    keys.put(ConfigKeys.PROXY_IDLE_TIMEOUT_S, integer(1, MAX_INT));
    keys.put(ConfigKeys.PROXY_DRAIN_TIMEOUT_S, integer(0, MAX_INT));
    keys.put(ConfigKeys.PROXY_READ_TIMEOUT_S, integer(1, MAX_INT));
    keys.put(ConfigKeys.PROXY_PARTIAL_FRAME_BYTES_PER_CONNECTION, integer(4, Long.MAX_VALUE));
    keys.put(ConfigKeys.PROXY_PARTIAL_FRAME_BYTES_PER_NODE, integer(4, Long.MAX_VALUE));
    keys.put(ConfigKeys.PROXY_MAX_ALLOWED_PACKET, integer(1024, 1L << 30));
    keys.put(ConfigKeys.PROXY_AUTH_PLUGIN, oneOf(authPlugins()));
    keys.put(ConfigKeys.PROXY_TLS, section(Map.of(
        ConfigKeys.TLS_ENABLED, bool(),
        ConfigKeys.TLS_CERT_PATH, file(),
        ConfigKeys.TLS_KEY_PATH, file(),
        ConfigKeys.TLS_RSA_KEY_PATH, file())));
    keys.put(ConfigKeys.PROXY_AUTH_THROTTLE, section(Map.of(
        ConfigKeys.THROTTLE_ENABLED, bool(),
        ConfigKeys.THROTTLE_FAILURES_BEFORE_DELAY, integer(1, MAX_INT),
        // a delayed attempt must still fit in the handshake timeout
        ConfigKeys.THROTTLE_DELAY_MS, integer(0, 5_000),
        ConfigKeys.THROTTLE_FAILURES_BEFORE_REFUSAL, integer(1, MAX_INT),
        ConfigKeys.THROTTLE_COOL_DOWN_S, integer(1, 86_400),
        ConfigKeys.THROTTLE_WINDOW_S, integer(1, 86_400))));
    Map<String, ConfigRule> accounts = new LinkedHashMap<>();
    accounts.put(ConfigKeys.ACCOUNTS_FROM_DATABASE, bool());
    accounts.put(ConfigKeys.ACCOUNTS_USER, text());
    ConfigRule.secret(accounts, ConfigKeys.ACCOUNTS_PASSWORD);
    accounts.put(ConfigKeys.ACCOUNTS_REFRESH_S, integer(1, 86_400));
    accounts.put(ConfigKeys.ACCOUNTS_MIN_INTERVAL_MS, integer(100, 3_600_000));
    keys.put(ConfigKeys.PROXY_ACCOUNTS, section(accounts));
    keys.put(ConfigKeys.PROXY_TRANSACTIONS, section(Map.of(
        ConfigKeys.TRANSACTIONS_MAX_BYTES, integer(0, 1L << 30),
        ConfigKeys.TRANSACTIONS_MAX_STATEMENTS, integer(0, MAX_INT),
        ConfigKeys.TRANSACTIONS_REPLAY_TIMEOUT_MS, integer(1, MAX_INT),
        ConfigKeys.TRANSACTIONS_COMMIT_MARKER, bool(),
        ConfigKeys.TRANSACTIONS_MARKER_RETENTION_MIN, integer(1, 10_080),
        ConfigKeys.TRANSACTIONS_FAULT_INJECTION, oneOf(new LinkedHashSet<>(java.util.List.of("none", "drop_after_commit", "drop_instead_of_commit"))))));
    return section(keys);
  }

  private static ConfigRule coordinator() {
    Map<String, ConfigRule> keys = new LinkedHashMap<>();
    keys.put(ConfigKeys.COORDINATOR_ADMIN_PORT, port());
    ConfigRule.secret(keys, ConfigKeys.COORDINATOR_TOKEN);
    keys.put(ConfigKeys.COORDINATOR_SERVERS, textList());
    keys.put(ConfigKeys.COORDINATOR_ADMIN_USER, text());
    ConfigRule.secret(keys, ConfigKeys.COORDINATOR_ADMIN_PASSWORD);
    keys.put(ConfigKeys.COORDINATOR_REPLICATION_USER, text());
    ConfigRule.secret(keys, ConfigKeys.COORDINATOR_REPLICATION_PASSWORD);
    keys.put(ConfigKeys.COORDINATOR_BLOCK_WINDOW_MS, integer(0, MAX_INT));
    keys.put(ConfigKeys.COORDINATOR_SWITCHOVER_MODE, oneOf(SwitchoverMode.labels()));
    keys.put(ConfigKeys.COORDINATOR_PHASE_TIMEOUT_MS, integer(1, MAX_INT));
    keys.put(ConfigKeys.COORDINATOR_PROBE_INTERVAL_MS, integer(1, MAX_INT));
    keys.put(ConfigKeys.COORDINATOR_SUSPECT_AFTER, integer(1, 1000));
    keys.put(ConfigKeys.COORDINATOR_MONITOR_INTERVAL_MS, integer(1, MAX_INT));
    keys.put(ConfigKeys.COORDINATOR_AUTO_REJOIN, bool());
    keys.put(ConfigKeys.COORDINATOR_ADMIN_TLS, section(Map.of(
        ConfigKeys.TLS_ENABLED, bool(),
        ConfigKeys.TLS_CERT_PATH, file(),
        ConfigKeys.TLS_KEY_PATH, file())));
    return section(keys);
  }

  /** A section that must name {@code key} (a user without a name cannot log in). */
  private static ConfigRule requiring(String key, ConfigRule section) {
    return (path, value) -> {
      JsonObject checked = (JsonObject) section.check(path, value);
      if (!checked.containsKey(key)) {
        throw new ConfigException(path + "." + key, "missing");
      }
      return checked;
    };
  }

  private static Set<String> authPlugins() {
    Set<String> names = new LinkedHashSet<>();
    Arrays.stream(AuthPlugin.values()).forEach(plugin -> names.add(plugin.wireName()));
    return names;
  }
}
