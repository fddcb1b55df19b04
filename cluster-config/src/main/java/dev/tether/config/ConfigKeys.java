package dev.tether.config;

/** Every configuration key Tether reads, in one place; the YAML file nests them by their dots. */
public final class ConfigKeys {
  private ConfigKeys() {}

  public static final String PROXY = "proxy";
  public static final String PROXY_HOST = "host";
  public static final String PROXY_PORT = "port";
  public static final String PROXY_HTTP_PORT = "httpPort";
  public static final String PROXY_EVENT_LOOPS = "eventLoops";
  public static final String PROXY_MAX_CONNECTIONS = "maxConnections";
  public static final String PROXY_HANDSHAKE_TIMEOUT_MS = "handshakeTimeoutMs";
  public static final String PROXY_IDLE_TIMEOUT_S = "idleTimeoutSeconds";
  public static final String PROXY_MAX_ALLOWED_PACKET = "maxAllowedPacket";
  public static final String PROXY_AUTH_PLUGIN = "authPlugin";
  public static final String PROXY_DRAIN_TIMEOUT_S = "drainTimeoutSeconds";
  public static final String PROXY_READ_TIMEOUT_S = "readTimeoutSeconds";
  public static final String PROXY_PARTIAL_FRAME_BYTES_PER_CONNECTION = "partialFrameBytesPerConnection";
  public static final String PROXY_PARTIAL_FRAME_BYTES_PER_NODE = "partialFrameBytesPerNode";
  public static final String PROXY_TLS = "tls";
  public static final String TLS_ENABLED = "enabled";
  public static final String TLS_CERT_PATH = "certPath";
  public static final String TLS_KEY_PATH = "keyPath";
  public static final String TLS_RSA_KEY_PATH = "rsaPrivateKeyPath";
  public static final String PROXY_AUTH_THROTTLE = "authThrottle";
  public static final String THROTTLE_ENABLED = "enabled";
  public static final String THROTTLE_FAILURES_BEFORE_DELAY = "failuresBeforeDelay";
  public static final String THROTTLE_DELAY_MS = "delayMs";
  public static final String THROTTLE_FAILURES_BEFORE_REFUSAL = "failuresBeforeRefusal";
  public static final String THROTTLE_COOL_DOWN_S = "coolDownSeconds";
  public static final String THROTTLE_WINDOW_S = "windowSeconds";
  public static final String PROXY_ACCOUNTS = "accounts";
  public static final String ACCOUNTS_FROM_DATABASE = "fromDatabase";
  public static final String ACCOUNTS_USER = "user";
  public static final String ACCOUNTS_PASSWORD = "password";
  public static final String ACCOUNTS_REFRESH_S = "refreshSeconds";
  public static final String ACCOUNTS_MIN_INTERVAL_MS = "minRefreshIntervalMs";
  public static final String PROXY_TRANSACTIONS = "transactions";
  public static final String TRANSACTIONS_MAX_BYTES = "maxBytes";
  public static final String TRANSACTIONS_MAX_STATEMENTS = "maxStatements";
  public static final String TRANSACTIONS_REPLAY_TIMEOUT_MS = "replayTimeoutMs";
  public static final String TRANSACTIONS_COMMIT_MARKER = "commitMarker";
  public static final String TRANSACTIONS_MARKER_RETENTION_MIN = "markerRetentionMinutes";
  /** Test only: none, drop_after_commit or drop_instead_of_commit. */
  public static final String TRANSACTIONS_FAULT_INJECTION = "faultInjection";

  public static final String BACKEND = "backend";
  public static final String BACKEND_HOST = "host";
  public static final String BACKEND_PORT = "port";
  public static final String BACKEND_CONNECT_TIMEOUT_MS = "connectTimeoutMs";
  public static final String BACKEND_RESPONSE_TIMEOUT_S = "responseTimeoutSeconds";

  public static final String SESSION = "session";
  public static final String SESSION_HOLD_WINDOW_S = "holdWindowSeconds";
  public static final String SESSION_HISTORY_CAP = "historyCap";
  public static final String SESSION_HISTORY_BYTES_CAP = "historyBytesCap";
  public static final String SESSION_PERSISTENT = "persistent";
  public static final String SESSION_TEMPORARY_TABLE_COPY_LIMIT = "temporaryTableCopyLimit";

  public static final String CLUSTER = "cluster";
  public static final String CLUSTER_ENABLED = "enabled";
  public static final String CLUSTER_NAME = "name";
  public static final String CLUSTER_PORT = "port";
  public static final String CLUSTER_MEMBERS = "members";
  public static final String CLUSTER_NODE_ID = "nodeId";
  public static final String CLUSTER_TLS = "tls";
  public static final String TLS_TRUST_PATH = "trustPath";

  public static final String COORDINATOR = "coordinator";
  public static final String COORDINATOR_ADMIN_PORT = "adminPort";
  public static final String COORDINATOR_TOKEN = "token";
  public static final String COORDINATOR_SERVERS = "servers";
  public static final String COORDINATOR_ADMIN_USER = "adminUser";
  public static final String COORDINATOR_ADMIN_PASSWORD = "adminPassword";
  public static final String COORDINATOR_REPLICATION_USER = "replicationUser";
  public static final String COORDINATOR_REPLICATION_PASSWORD = "replicationPassword";
  public static final String COORDINATOR_BLOCK_WINDOW_MS = "blockWindowMs";
  public static final String COORDINATOR_SWITCHOVER_MODE = "switchoverMode";
  public static final String COORDINATOR_PHASE_TIMEOUT_MS = "phaseTimeoutMs";
  public static final String COORDINATOR_PROBE_INTERVAL_MS = "probeIntervalMs";
  public static final String COORDINATOR_SUSPECT_AFTER = "suspectAfterFailedProbes";
  public static final String COORDINATOR_MONITOR_INTERVAL_MS = "monitorIntervalMs";
  public static final String COORDINATOR_AUTO_REJOIN = "autoRejoin";
  public static final String COORDINATOR_ADMIN_TLS = "adminTls";

  public static final String USERS = "users";
  public static final String USER_NAME = "name";
  public static final String USER_PASSWORD = "password";
  public static final String USER_AUTH_PLUGIN = "authPlugin";
}
