package dev.tether.config;

import java.time.Duration;

/**
 * Bounds on keeping sessions alive: how long a session whose backend is gone is held while the
 * proxy reconnects, and how many state items (variables, prepared statements, ...) a session may
 * hold and still be rebuilt.
 */
public record SessionConfig(Duration holdWindow, int historyCap) {}
