package dev.tether.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/** The meters of one proxy node, with their names; counted from every event loop. */
public final class ProxyMetrics {
  public static final String CLIENT_CONNECTIONS = "tether.proxy.client.connections";
  public static final String BACKEND_CONNECTIONS = "tether.proxy.backend.connections";
  public static final String CLIENT_ACCEPTED = "tether.proxy.client.accepted";
  public static final String CLIENT_REJECTED = "tether.proxy.client.rejected";
  public static final String AUTH_FAILURES = "tether.proxy.auth.failures";
  public static final String PROTOCOL_ERRORS = "tether.proxy.protocol.errors";
  public static final String BUGS = "tether.proxy.bugs";

  private final MeterRegistry registry;
  private final AtomicInteger clientConnections = new AtomicInteger();
  private final AtomicInteger backendConnections = new AtomicInteger();
  private final Counter accepted;
  private final Counter authFailures;
  private final Counter protocolErrors;

  public ProxyMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(CLIENT_CONNECTIONS, clientConnections, AtomicInteger::get)
        .description("open client connections").register(registry);
    Gauge.builder(BACKEND_CONNECTIONS, backendConnections, AtomicInteger::get)
        .description("open backend connections").register(registry);
    accepted = Counter.builder(CLIENT_ACCEPTED).register(registry);
    authFailures = Counter.builder(AUTH_FAILURES).register(registry);
    protocolErrors = Counter.builder(PROTOCOL_ERRORS).register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public AtomicInteger clientConnections() {
    return clientConnections;
  }

  public AtomicInteger backendConnections() {
    return backendConnections;
  }

  public void accepted() {
    accepted.increment();
  }

  /** A connection turned away, by reason (too_many_connections, handshake_timeout, ...). */
  public void rejected(String reason) {
    registry.counter(CLIENT_REJECTED, "reason", reason).increment();
  }

  public void authFailure() {
    authFailures.increment();
  }

  public void protocolError() {
    protocolErrors.increment();
  }

  /** An impossible transition: logged as BUG by the caller, counted here by where it happened. */
  public void bug(String where) {
    registry.counter(BUGS, "where", where).increment();
  }
}
