package dev.tether.coordinator;

import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * One change at a time: a switchover, failover or topology change runs only when no other is
 * running, and the failure detector and the repairs stay out of its way while one is.
 */
final class RunGuard {
  private boolean busy;

  boolean busy() {
    return busy;
  }

  /** Runs {@code work} unless a switchover, failover or topology change is already running. */
  <T> Future<T> exclusively(Supplier<Future<T>> work) {
    if (busy) {
      return SwitchoverFailure.BUSY.fail("a switchover, failover or topology change is already running");
    }
    busy = true;
    return work.get().eventually(() -> {
      busy = false;
      return Future.succeededFuture();
    });
  }
}
