package dev.tether.proxy.backend;

import dev.tether.config.UserAccount;
import io.vertx.core.buffer.Buffer;

/**
 * Everything needed to log a session into a backend: who, which schema and collation, and the
 * capabilities the client agreed (the backend connection mirrors the ones that shape responses).
 */
public record LoginRequest(UserAccount account, String database, int collation, long clientCapabilities,
                           long maxPacketSize, Buffer connectAttributes) {}
