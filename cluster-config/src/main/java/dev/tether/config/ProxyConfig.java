package dev.tether.config;

import java.time.Duration;

/** One proxy node's listener and the limits it enforces on clients, failed logins included. */
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
    DatabaseAccountsConfig accounts) {}
