package dev.tether.coordinator;

import io.vertx.core.Future;

/**
 * A run or topology change that was refused or stopped, with its enum reason beside the operator's
 * message: the admin API answers both, the history keeps both, metrics count the reason. No stack
 * trace: it is an expected outcome, not a bug.
 */
final class Refused extends RuntimeException {
  final Enum<?> reason;

  private Refused(Enum<?> reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  /** An enum of reasons (the values are metric labels); each value fails a future with itself and a message. */
  interface Reason {
    /** The refusal with this reason and {@code message} as the operator reads it. */
    default <T> Future<T> fail(String message) {
      return Future.failedFuture(new Refused((Enum<?>) this, message)); // only enums implement Reason
    }
  }

  /** The reason's name, or null for a failure that is no refusal (a failed statement, a timeout). */
  static String reasonOf(Throwable cause) {
    return cause instanceof Refused refused ? refused.reason.name() : null;
  }
}
