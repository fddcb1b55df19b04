package dev.tether.proxy.node;

import dev.tether.config.TetherConfig;
import dev.tether.config.UserStore;
import dev.tether.proxy.backend.BackendIdentity;
import dev.tether.proxy.backend.BackendTarget;
import io.netty.handler.ssl.SslContext;
import java.security.KeyPair;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every event loop of one proxy node shares: configuration, users, the backend's identity,
 * key material, metrics and the clock sessions read. (Its sessions are found through
 * {@code session.NodeSessions}, which sits above this package.) Immutable after construction except where a field says otherwise.
 */
public final class NodeServices {
  private final TetherConfig config;
  private final UserStore users;
  private final SslContext tls;
  private final KeyPair rsaKeys;
  private final ProxyMetrics metrics;
  private final AuthThrottle authThrottle;

  /** The primary sessions connect to; replaced by a switchover with a newer epoch. */
  private final AtomicReference<BackendTarget> target;

  /**
   * The epoch whose switchover holds the node's new work until its RESTORE, or -1: written by the
   * node's switchover, read by it and by every session as it starts.
   */
  private volatile long heldEpoch = -1;
  /** Written by any event loop that sees a backend greeting; read when greeting clients. */
  private final AtomicReference<BackendIdentity> identity = new AtomicReference<>();
  private final NodeDrain drain = new NodeDrain();
  private final java.time.Clock clock = java.time.Clock.systemUTC();
  /** Users who completed a caching_sha2_password full authentication on this node (the fast-auth cache). */
  private final Set<String> sha2Cache = ConcurrentHashMap.newKeySet();
  /** What all client connections of the node may hold in partly received frames. */
  private final dev.tether.proxy.protocol.PartialFrameBudget partialFrames;

  public NodeServices(TetherConfig config, UserStore users, SslContext tls, KeyPair rsaKeys, ProxyMetrics metrics) {
    this.config = config;
    this.users = users;
    this.tls = tls;
    this.rsaKeys = rsaKeys;
    this.metrics = metrics;
    this.authThrottle = new AuthThrottle(config.proxy().authThrottle(),
        metrics != null ? metrics.registry() : new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
        System::currentTimeMillis);
    this.target = new AtomicReference<>(new BackendTarget(config.backend().host(), config.backend().port(), 0));
    this.partialFrames = new dev.tether.proxy.protocol.PartialFrameBudget(
        config.proxy().partialFrameBytesPerConnection(), config.proxy().partialFrameBytesPerNode());
    if (metrics != null) { // unit tests build services without meters
      io.micrometer.core.instrument.Gauge.builder(dev.tether.proxy.protocol.PartialFrameBudget.METRIC, partialFrames,
          dev.tether.proxy.protocol.PartialFrameBudget::held)
          .description("bytes held in partly received client frames").register(metrics.registry());
    }
  }

  public dev.tether.proxy.protocol.PartialFrameBudget partialFrames() {
    return partialFrames;
  }

  public BackendTarget target() {
    return target.get();
  }

  /**
   * Moves sessions' future connections to {@code next} if its epoch is newer than the current one.
   *
   * @return false for a stale or repeated epoch, which changes nothing
   */
  public boolean target(BackendTarget next) {
    BackendTarget current;
    do {
      current = target.get();
      if (next.epoch() <= current.epoch()) {
        return false;
      }
    } while (!target.compareAndSet(current, next));
    return true;
  }

  /** The epoch held from a switchover's BLOCK (or a coordinator's SWITCH after none) until its RESTORE, or -1. */
  public long heldEpoch() {
    return heldEpoch;
  }

  public void heldEpoch(long epoch) {
    heldEpoch = epoch;
  }

  public TetherConfig config() {
    return config;
  }

  public UserStore users() {
    return users;
  }

  /** Frontend TLS options, or null when TLS is off. */
  public SslContext tls() {
    return tls;
  }

  public KeyPair rsaKeys() {
    return rsaKeys;
  }

  public ProxyMetrics metrics() {
    return metrics;
  }

  /** Failed-login throttling per client address. */
  public AuthThrottle authThrottle() {
    return authThrottle;
  }

  public BackendIdentity identity() {
    return identity.get();
  }

  public void identity(BackendIdentity seen) {
    identity.set(seen);
  }

  /** Whether this node is being drained, and until when. */
  public NodeDrain drain() {
    return drain;
  }

  /** The one clock the node's sessions read. */
  public java.time.Clock clock() {
    return clock;
  }

  public Set<String> sha2Cache() {
    return sha2Cache;
  }
}
