package dev.tether.config;

import java.time.Duration;

/** One proxy node's listener, the limits it enforces on clients (failed logins included), and how long a drain waits for them to leave. */
public record ProxyConfig(
    String host,
    int port,
    int httpPort,
    int eventLoops,
    int maxConnections,
    Duration handshakeTimeout,
    Duration idleTimeout,
    int maxAllowedPacket,
    AuthPlugin authPlugin,
    TlsConfig tls,
    AuthThrottleConfig authThrottle,
    DatabaseAccountsConfig accounts,
    Duration drainTimeout) {}
