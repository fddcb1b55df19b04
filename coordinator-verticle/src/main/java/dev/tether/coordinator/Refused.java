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

  static <T> Future<T> because(Enum<?> reason, String message) {
    return Future.failedFuture(new Refused(reason, message));
  }

  /** The reason's name, or null for a failure that is no refusal (a failed statement, a timeout). */
  static String reasonOf(Throwable cause) {
    return cause instanceof Refused refused ? refused.reason.name() : null;
  }
}
