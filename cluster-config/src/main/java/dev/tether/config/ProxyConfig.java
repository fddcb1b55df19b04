package dev.tether.config;

import java.time.Duration;

/**
 * One proxy node's listener, the limits it enforces on clients (failed logins included), and how long
 * a drain waits for them to leave. {@code readTimeout} bounds the wait for the rest of a frame a
 * client has begun (the server's net_read_timeout); the two partial frame bounds say what one client
 * connection and all of them together may hold in frames not yet complete.
 */
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
    Duration drainTimeout,
    Duration readTimeout,
    long partialFrameBytesPerConnection,
    long partialFrameBytesPerNode,
    TransactionConfig transactions) {}
