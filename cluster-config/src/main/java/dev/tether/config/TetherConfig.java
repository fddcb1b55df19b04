package dev.tether.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The whole configuration of a node; every key has a default that serves the local demo. */
public record TetherConfig(ProxyConfig proxy, BackendConfig backend, SessionConfig session, ClusterConfig cluster,
                           CoordinatorConfig coordinator, List<UserAccount> users) {
  public static final int DEFAULT_PROXY_PORT = 6033;
  public static final int DEFAULT_BACKEND_PORT = 13306;

  public TetherConfig {
    users = List.copyOf(users);
  }

  /** Reads a configuration tree (as YAML gives it), filling every absent key with its default. */
  public static TetherConfig fromJson(JsonObject root) {
    JsonObject p = object(root, ConfigKeys.PROXY);
    JsonObject t = object(p, ConfigKeys.PROXY_TLS);
    JsonObject b = object(root, ConfigKeys.BACKEND);
    ProxyConfig proxy = new ProxyConfig(
        p.getString(ConfigKeys.PROXY_HOST, "127.0.0.1"),
        p.getInteger(ConfigKeys.PROXY_PORT, DEFAULT_PROXY_PORT),
        p.getInteger(ConfigKeys.PROXY_HTTP_PORT, 9033),
        p.getInteger(ConfigKeys.PROXY_EVENT_LOOPS, Math.max(1, Runtime.getRuntime().availableProcessors())),
        p.getInteger(ConfigKeys.PROXY_MAX_CONNECTIONS, 4096),
        Duration.ofMillis(p.getLong(ConfigKeys.PROXY_HANDSHAKE_TIMEOUT_MS, 10_000L)),
        Duration.ofSeconds(p.getLong(ConfigKeys.PROXY_IDLE_TIMEOUT_S, 28_800L)),
        p.getInteger(ConfigKeys.PROXY_MAX_ALLOWED_PACKET, 64 * 1024 * 1024),
        AuthPlugin.parse(p.getString(ConfigKeys.PROXY_AUTH_PLUGIN, AuthPlugin.MYSQL_NATIVE_PASSWORD.wireName())),
        new TlsConfig(
            t.getBoolean(ConfigKeys.TLS_ENABLED, true),
            t.getString(ConfigKeys.TLS_CERT_PATH),
            t.getString(ConfigKeys.TLS_KEY_PATH),
            t.getString(ConfigKeys.TLS_RSA_KEY_PATH)),
        authThrottle(object(p, ConfigKeys.PROXY_AUTH_THROTTLE)),
        accounts(object(p, ConfigKeys.PROXY_ACCOUNTS)),
        Duration.ofSeconds(p.getLong(ConfigKeys.PROXY_DRAIN_TIMEOUT_S, 30L)),
        Duration.ofSeconds(p.getLong(ConfigKeys.PROXY_READ_TIMEOUT_S, 30L)),
        p.getLong(ConfigKeys.PROXY_PARTIAL_FRAME_BYTES_PER_CONNECTION, 16L * 1024 * 1024 + 3),
        p.getLong(ConfigKeys.PROXY_PARTIAL_FRAME_BYTES_PER_NODE, 256L * 1024 * 1024),
        transactions(object(p, ConfigKeys.PROXY_TRANSACTIONS)));
    BackendConfig backend = new BackendConfig(
        b.getString(ConfigKeys.BACKEND_HOST, "127.0.0.1"),
        b.getInteger(ConfigKeys.BACKEND_PORT, DEFAULT_BACKEND_PORT),
        Duration.ofMillis(b.getLong(ConfigKeys.BACKEND_CONNECT_TIMEOUT_MS, 5_000L)),
        Duration.ofSeconds(b.getLong(ConfigKeys.BACKEND_RESPONSE_TIMEOUT_S, 3_600L)));
    JsonObject s = object(root, ConfigKeys.SESSION);
    SessionConfig session = new SessionConfig(
        s.getBoolean(ConfigKeys.SESSION_PERSISTENT, true),
        Duration.ofSeconds(s.getLong(ConfigKeys.SESSION_HOLD_WINDOW_S, 30L)),
        s.getInteger(ConfigKeys.SESSION_HISTORY_CAP, 1000),
        s.getInteger(ConfigKeys.SESSION_TEMPORARY_TABLE_COPY_LIMIT, 8 * 1024 * 1024),
        s.getLong(ConfigKeys.SESSION_HISTORY_BYTES_CAP, 16L * 1024 * 1024));
    JsonObject c = object(root, ConfigKeys.CLUSTER);
    JsonArray members = c.getJsonArray(ConfigKeys.CLUSTER_MEMBERS, new JsonArray().add("127.0.0.1"));
    ClusterConfig cluster = new ClusterConfig(
        c.getBoolean(ConfigKeys.CLUSTER_ENABLED, false),
        c.getString(ConfigKeys.CLUSTER_NAME, "tether"),
        c.getString(ConfigKeys.PROXY_HOST, "127.0.0.1"),
        c.getInteger(ConfigKeys.CLUSTER_PORT, 5701),
        members.stream().map(String::valueOf).toList(),
        c.getString(ConfigKeys.CLUSTER_NODE_ID, "proxy-" + proxy.port()),
        clusterTls(object(c, ConfigKeys.CLUSTER_TLS)));
    JsonObject k = object(root, ConfigKeys.COORDINATOR);
    JsonArray servers = k.getJsonArray(ConfigKeys.COORDINATOR_SERVERS,
        new JsonArray().add("127.0.0.1:13306").add("127.0.0.1:13307").add("127.0.0.1:13308"));
    CoordinatorConfig coordinator = new CoordinatorConfig(
        k.getInteger(ConfigKeys.COORDINATOR_ADMIN_PORT, 8033),
        // local test credential for the demo's admin API; set your own outside the local demo
        k.getString(ConfigKeys.COORDINATOR_TOKEN, "tether-local-test-token"),
        servers.stream().map(String::valueOf).toList(),
        k.getString(ConfigKeys.COORDINATOR_ADMIN_USER, "tether_admin"),
        k.getString(ConfigKeys.COORDINATOR_ADMIN_PASSWORD, "tether_admin"),
        k.getString(ConfigKeys.COORDINATOR_REPLICATION_USER, "repl"),
        k.getString(ConfigKeys.COORDINATOR_REPLICATION_PASSWORD, "repl"),
        Duration.ofMillis(k.getLong(ConfigKeys.COORDINATOR_BLOCK_WINDOW_MS, 2000L)),
        Duration.ofMillis(k.getLong(ConfigKeys.COORDINATOR_PHASE_TIMEOUT_MS, 10_000L)),
        Duration.ofMillis(k.getLong(ConfigKeys.COORDINATOR_PROBE_INTERVAL_MS, 500L)),
        k.getInteger(ConfigKeys.COORDINATOR_SUSPECT_AFTER, 3),
        Duration.ofMillis(k.getLong(ConfigKeys.COORDINATOR_MONITOR_INTERVAL_MS, 2000L)),
        k.getBoolean(ConfigKeys.COORDINATOR_AUTO_REJOIN, true),
        adminTls(object(k, ConfigKeys.COORDINATOR_ADMIN_TLS)),
        SwitchoverMode.parse(k.getString(ConfigKeys.COORDINATOR_SWITCHOVER_MODE, SwitchoverMode.DRAIN.label())));
    return new TetherConfig(proxy, backend, session, cluster, coordinator, users(root.getJsonArray(ConfigKeys.USERS)));
  }

  private static List<UserAccount> users(JsonArray array) {
    List<UserAccount> users = new ArrayList<>();
    if (array == null) {
      return users;
    }
    for (int i = 0; i < array.size(); i++) {
      JsonObject u = array.getJsonObject(i);
      users.add(new UserAccount(
          u.getString(ConfigKeys.USER_NAME),
          String.valueOf(u.getValue(ConfigKeys.USER_PASSWORD, "")),
          AuthPlugin.parse(u.getString(ConfigKeys.USER_AUTH_PLUGIN, AuthPlugin.MYSQL_NATIVE_PASSWORD.wireName()))));
    }
    return users;
  }

  private static DatabaseAccountsConfig accounts(JsonObject a) {
    return new DatabaseAccountsConfig(
        a.getBoolean(ConfigKeys.ACCOUNTS_FROM_DATABASE, false),
        // local test credentials of the demo database
        a.getString(ConfigKeys.ACCOUNTS_USER, "tether_admin"),
        String.valueOf(a.getValue(ConfigKeys.ACCOUNTS_PASSWORD, "tether_admin")),
        Duration.ofSeconds(a.getLong(ConfigKeys.ACCOUNTS_REFRESH_S, 30L)),
        Duration.ofMillis(a.getLong(ConfigKeys.ACCOUNTS_MIN_INTERVAL_MS, 3000L)));
  }

  private static TransactionConfig transactions(JsonObject x) {
    TransactionConfig d = TransactionConfig.defaults();
    return new TransactionConfig(
        x.getLong(ConfigKeys.TRANSACTIONS_MAX_BYTES, d.maxBytes()),
        x.getInteger(ConfigKeys.TRANSACTIONS_MAX_STATEMENTS, d.maxStatements()),
        Duration.ofMillis(x.getLong(ConfigKeys.TRANSACTIONS_REPLAY_TIMEOUT_MS, d.replayTimeout().toMillis())),
        x.getBoolean(ConfigKeys.TRANSACTIONS_COMMIT_MARKER, d.commitMarker()),
        Duration.ofMinutes(x.getLong(ConfigKeys.TRANSACTIONS_MARKER_RETENTION_MIN, d.markerRetention().toMinutes())),
        x.getString(ConfigKeys.TRANSACTIONS_FAULT_INJECTION, d.faultInjection()));
  }

  private static AuthThrottleConfig authThrottle(JsonObject a) {
    AuthThrottleConfig d = AuthThrottleConfig.defaults();
    return new AuthThrottleConfig(
        a.getBoolean(ConfigKeys.THROTTLE_ENABLED, d.enabled()),
        a.getInteger(ConfigKeys.THROTTLE_FAILURES_BEFORE_DELAY, d.failuresBeforeDelay()),
        Duration.ofMillis(a.getLong(ConfigKeys.THROTTLE_DELAY_MS, d.delay().toMillis())),
        a.getInteger(ConfigKeys.THROTTLE_FAILURES_BEFORE_REFUSAL, d.failuresBeforeRefusal()),
        Duration.ofSeconds(a.getLong(ConfigKeys.THROTTLE_COOL_DOWN_S, d.coolDown().toSeconds())),
        Duration.ofSeconds(a.getLong(ConfigKeys.THROTTLE_WINDOW_S, d.window().toSeconds())));
  }

  private static ClusterTlsConfig clusterTls(JsonObject t) {
    return new ClusterTlsConfig(t.getBoolean(ConfigKeys.TLS_ENABLED, false), t.getString(ConfigKeys.TLS_CERT_PATH),
        t.getString(ConfigKeys.TLS_KEY_PATH), t.getString(ConfigKeys.TLS_TRUST_PATH));
  }

  /** Off by default: the demo's admin API listens on loopback; turn it on wherever it does not. */
  private static TlsConfig adminTls(JsonObject t) {
    return new TlsConfig(t.getBoolean(ConfigKeys.TLS_ENABLED, false), t.getString(ConfigKeys.TLS_CERT_PATH),
        t.getString(ConfigKeys.TLS_KEY_PATH), null);
  }

  private static JsonObject object(JsonObject parent, String key) {
    JsonObject child = parent.getJsonObject(key);
    return child == null ? new JsonObject() : child;
  }
}
