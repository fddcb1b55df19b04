package dev.tether.config;

import java.time.Duration;

/**
 * The database server the proxy connects sessions to, and the bounds on talking to it: connecting
 * and authenticating, and how long a command may go without any byte of response.
 */
public record BackendConfig(String host, int port, Duration connectTimeout, Duration responseTimeout) {}
