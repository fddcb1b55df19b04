package dev.tether.config;

import java.time.Duration;

/**
 * Persistent sessions: whether the node tracks session state and rebuilds sessions on a new backend
 * connection at all, how long a session whose backend is gone is held while the proxy reconnects,
 * and how many state items (variables, prepared statements, ...) a session may hold and still be
 * rebuilt.
 */
public record SessionConfig(boolean persistent, Duration holdWindow, int historyCap) {}
