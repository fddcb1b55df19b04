package dev.tether.proxy.net;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Socket errors (a connection reset by a killed primary, a client that vanished) summed up in one
 * log line per second and cause: killing the primary resets every backend connection at once, and
 * what the operator needs is "37 reset", not 37 stack traces. The close that follows each error is
 * what the session reacts to; without an exception handler Vert.x would log every one as ERROR.
 */
public final class SocketErrors {
  private static final Logger log = LoggerFactory.getLogger(SocketErrors.class);
  /** Backend connections: a reset means a server went away, worth one WARN. */
  public static final SocketErrors BACKEND = new SocketErrors("backend", true);
  /** Client connections: a client that drops its socket is the client's business. */
  public static final SocketErrors CLIENT = new SocketErrors("client", false);

  private final String side;
  private final boolean warn;
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final AtomicBoolean flushPending = new AtomicBoolean();

  private SocketErrors(String side, boolean warn) {
    this.side = side;
    this.warn = warn;
  }

  /** The exception handler for a socket to {@code peer}. */
  public Handler<Throwable> handler(String peer) {
    return error -> record(peer, error);
  }

  void record(String peer, Throwable error) {
    String key = peer + ": " + (error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage());
    counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    Context context = Vertx.currentContext();
    if (context == null) {
      flush();
    } else if (flushPending.compareAndSet(false, true)) {
      context.owner().setTimer(1000, id -> flush());
    }
  }

  private void flush() {
    flushPending.set(false);
    for (String key : counts.keySet()) {
      int count = counts.remove(key).get();
      if (warn) {
        log.warn("{} {} connection(s) ended by an error in the last second, to {}", count, side, key);
      } else {
        log.info("{} {} connection(s) ended by an error in the last second, from {}", count, side, key);
      }
    }
  }
}
